package dev.allotment.spi;

import java.util.Optional;

/** The bundle {@link BillingStores.Builder} assembles. Immutable and thread-safe. */
record AssembledStores(PackageCatalog catalog, AssignmentStore assignments, ChargeJournal journal,
    CreditLedger creditLedger, SpendSource spend, FreeMinuteStore freeMinutes, UnitOfWork unitOfWork,
    EventOutbox events, Optional<RunLeases> runLeases)
    implements BillingStores {}
