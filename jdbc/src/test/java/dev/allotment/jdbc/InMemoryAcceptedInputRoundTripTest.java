package dev.allotment.jdbc;

import dev.allotment.spi.BillingStores;
import dev.allotment.spi.InMemoryStores;

/** {@link AcceptedInputRoundTripChecks} on the in-memory stores. */
final class InMemoryAcceptedInputRoundTripTest extends AcceptedInputRoundTripChecks {
  @Override
  BillingStores freshStores() {
    return new InMemoryStores();
  }
}
