package dev.allotment.spi;

import dev.allotment.core.SetOnce;
import java.util.Objects;
import java.util.Optional;

/**
 * Every store the engine uses, handed over as one: the catalog, the assignments, the journal, the
 * credit ledger, the spend source, the free-minute store, the {@link EventOutbox} the writes of
 * the others add their events to, and the {@link UnitOfWork} that commits a batch's effects
 * across them at once.
 *
 * <p>Allotment ships three: {@link InMemoryStores} (the embedded default), {@code JdbcStores}
 * (PostgreSQL and H2, one transaction per batch) and, for a host whose stores live in separate
 * systems, the engine's {@code SplitStores} adapter. A host with stores of its own that share one
 * transactional resource assembles them with {@link #builder()}, which refuses a missing store.
 *
 * <p>Implementations are thread-safe and return the same store on every call.
 */
public interface BillingStores {
  /** {@return the packages} */
  PackageCatalog catalog();

  /** {@return the packages given to customers or their DIDs} */
  AssignmentStore assignments();

  /** {@return what was charged, read back for planning} */
  ChargeJournal journal();

  /** {@return the customers' credit} */
  CreditLedger creditLedger();

  /** {@return the customers' spend, for minimum-spend true-ups} */
  SpendSource spend();

  /** {@return the free-minute grants and the calls consumed from them} */
  FreeMinuteStore freeMinutes();

  /** {@return the unit of work that commits a batch of a run across the stores above, all or nothing} */
  UnitOfWork unitOfWork();

  /** {@return the events the writes of the stores above commit with their effects} */
  EventOutbox events();

  /**
   * The coordination of fleet runs, optional: a bundle without it runs everything but fleet runs,
   * which the engine then refuses, naming it.
   *
   * @return the run leases, or empty (the default)
   */
  default Optional<RunLeases> runLeases() {
    return Optional.empty();
  }

  /**
   * Returns {@code stores} once every one of its stores is there; the engine never falls back to a
   * default of its own, which would silently split a host's data between two places.
   *
   * @param stores the bundle to check
   * @return the same bundle
   * @throws IllegalStateException naming the first store missing
   */
  static BillingStores requireComplete(BillingStores stores) {
    String[] names = {"catalog", "assignments", "journal", "creditLedger", "spend", "freeMinutes", "unitOfWork",
        "events"};
    Object[] given = {stores.catalog(), stores.assignments(), stores.journal(), stores.creditLedger(),
        stores.spend(), stores.freeMinutes(), stores.unitOfWork(), stores.events()};
    for (int i = 0; i < names.length; i++) {
      if (given[i] == null) {
        throw new IllegalStateException("the stores lack " + names[i] + ": every store must be given");
      }
    }
    return stores;
  }

  /** {@return a builder assembling a bundle from stores of the host's own} */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Assembles a {@link BillingStores}. Each setter may be called once; every store is required.
   *
   * <p>Not thread-safe.
   */
  final class Builder {
    private PackageCatalog catalog;
    private AssignmentStore assignments;
    private ChargeJournal journal;
    private CreditLedger creditLedger;
    private SpendSource spend;
    private FreeMinuteStore freeMinutes;
    private UnitOfWork unitOfWork;
    private EventOutbox events;
    private RunLeases runLeases;

    private Builder() {}

    /**
     * The catalog (required).
     *
     * @param catalog the catalog
     * @return this builder
     */
    public Builder catalog(PackageCatalog catalog) {
      SetOnce.check(this.catalog, "catalog");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The assignment store (required).
     *
     * @param assignments the store
     * @return this builder
     */
    public Builder assignments(AssignmentStore assignments) {
      SetOnce.check(this.assignments, "assignments");
      this.assignments = Objects.requireNonNull(assignments, "assignments");
      return this;
    }

    /**
     * The charge journal (required).
     *
     * @param journal the journal
     * @return this builder
     */
    public Builder journal(ChargeJournal journal) {
      SetOnce.check(this.journal, "journal");
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * The credit ledger (required).
     *
     * @param creditLedger the ledger
     * @return this builder
     */
    public Builder creditLedger(CreditLedger creditLedger) {
      SetOnce.check(this.creditLedger, "creditLedger");
      this.creditLedger = Objects.requireNonNull(creditLedger, "creditLedger");
      return this;
    }

    /**
     * The spend source (required).
     *
     * @param spend the source
     * @return this builder
     */
    public Builder spend(SpendSource spend) {
      SetOnce.check(this.spend, "spend");
      this.spend = Objects.requireNonNull(spend, "spend");
      return this;
    }

    /**
     * The free-minute store (required).
     *
     * @param freeMinutes the store
     * @return this builder
     */
    public Builder freeMinutes(FreeMinuteStore freeMinutes) {
      SetOnce.check(this.freeMinutes, "freeMinutes");
      this.freeMinutes = Objects.requireNonNull(freeMinutes, "freeMinutes");
      return this;
    }

    /**
     * The unit of work that commits a batch across these stores (required).
     *
     * @param unitOfWork the unit of work
     * @return this builder
     */
    public Builder unitOfWork(UnitOfWork unitOfWork) {
      SetOnce.check(this.unitOfWork, "unitOfWork");
      this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
      return this;
    }

    /**
     * The event outbox the stores above write their events to, in their own units of work (required).
     *
     * @param events the outbox
     * @return this builder
     */
    public Builder events(EventOutbox events) {
      SetOnce.check(this.events, "events");
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /**
     * The coordination of fleet runs (optional: without it, fleet runs are refused). It may live
     * elsewhere than the other stores: it holds leases only, never an effect of a charge.
     *
     * @param runLeases the run leases
     * @return this builder
     */
    public Builder runLeases(RunLeases runLeases) {
      SetOnce.check(this.runLeases, "runLeases");
      this.runLeases = Objects.requireNonNull(runLeases, "runLeases");
      return this;
    }

    /**
     * The bundle.
     *
     * @return the bundle
     * @throws IllegalStateException naming the first store not given
     */
    public BillingStores build() {
      return requireComplete(new AssembledStores(catalog, assignments, journal, creditLedger, spend, freeMinutes,
          unitOfWork, events, Optional.ofNullable(runLeases)));
    }
  }
}
