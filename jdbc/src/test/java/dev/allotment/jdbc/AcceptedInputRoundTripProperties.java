package dev.allotment.jdbc;

import dev.allotment.spi.InMemoryStores;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The jqwik property of {@link AcceptedInputRoundTripChecks}: for any seed, the inputs core accepts
 * that it generates (to the edges of every bound) are stored by the in-memory stores and read back
 * unchanged. The databases run the same check over fixed seeds.
 */
class AcceptedInputRoundTripProperties {
  @Property(tries = 300)
  void anythingCoreAcceptsIsStoredAndReadBackUnchangedInMemory(@ForAll int seed) {
    AcceptedInputRoundTripChecks.roundTrip(new InMemoryStores(), seed);
  }
}
