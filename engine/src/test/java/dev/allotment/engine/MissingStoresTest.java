package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.SpendSource;
import dev.allotment.spi.UnitOfWork;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine never falls back to a store of its own, which would silently split a host's data
 * between two places: a missing clock, bundle or store of a bundle is refused when the engine (or
 * the bundle) is built, naming what is missing.
 */
final class MissingStoresTest {
  private static final List<String> STORES = List.of("catalog", "assignments", "journal", "creditLedger", "spend",
      "freeMinutes", "unitOfWork");

  private final InMemoryStores memory = new InMemoryStores();

  /** The message names {@code name} and no other store. */
  private static void assertNames(String name, IllegalStateException e) {
    assertTrue(e.getMessage().contains(name), "names " + name + ": " + e.getMessage());
    STORES.stream().filter(other -> !other.equals(name))
        .forEach(other -> assertFalse(e.getMessage().contains(other), "names only " + name + ": " + e.getMessage()));
  }

  @Test
  void anEngineWithoutStoresIsRefusedNamingThem() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PackageBilling.builder().clock(Fixtures.clock()).build());
    assertNames("stores", e);
  }

  @Test
  void anEngineWithoutAClockIsRefusedNamingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PackageBilling.builder().stores(memory).build());
    assertNames("clock", e);
  }

  /** A bundle of the host's own whose accessor answers null. */
  private BillingStores lacking(String missing) {
    return new BillingStores() {
      @Override
      public PackageCatalog catalog() {
        return missing.equals("catalog") ? null : memory.catalog();
      }

      @Override
      public AssignmentStore assignments() {
        return missing.equals("assignments") ? null : memory.assignments();
      }

      @Override
      public ChargeJournal journal() {
        return missing.equals("journal") ? null : memory.journal();
      }

      @Override
      public CreditLedger creditLedger() {
        return missing.equals("creditLedger") ? null : memory.creditLedger();
      }

      @Override
      public SpendSource spend() {
        return missing.equals("spend") ? null : memory.spend();
      }

      @Override
      public FreeMinuteStore freeMinutes() {
        return missing.equals("freeMinutes") ? null : memory.freeMinutes();
      }

      @Override
      public UnitOfWork unitOfWork() {
        return missing.equals("unitOfWork") ? null : memory.unitOfWork();
      }

      @Override
      public EventOutbox events() {
        return missing.equals("events") ? null : memory.events();
      }
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"catalog", "assignments", "journal", "creditLedger", "spend", "freeMinutes", "unitOfWork",
      "events"})
  void aBundleWhoseStoreIsNullIsRefusedNamingIt(String missing) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PackageBilling.builder().clock(Fixtures.clock()).stores(lacking(missing)).build());
    assertNames(missing, e);
  }

  /** Every store but one given to {@link BillingStores#builder()}. */
  private BillingStores.Builder assembledWithout(String missing) {
    BillingStores.Builder b = BillingStores.builder();
    if (!missing.equals("catalog")) {
      b.catalog(memory.catalog());
    }
    if (!missing.equals("assignments")) {
      b.assignments(memory.assignments());
    }
    if (!missing.equals("journal")) {
      b.journal(memory.journal());
    }
    if (!missing.equals("creditLedger")) {
      b.creditLedger(memory.creditLedger());
    }
    if (!missing.equals("spend")) {
      b.spend(memory.spend());
    }
    if (!missing.equals("freeMinutes")) {
      b.freeMinutes(memory.freeMinutes());
    }
    if (!missing.equals("unitOfWork")) {
      b.unitOfWork(memory.unitOfWork());
    }
    if (!missing.equals("events")) {
      b.events(memory.events());
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"catalog", "assignments", "journal", "creditLedger", "spend", "freeMinutes", "unitOfWork",
      "events"})
  void anAssembledBundleMissingAStoreIsRefusedNamingIt(String missing) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> assembledWithout(missing).build());
    assertNames(missing, e);
  }

  /** Split stores missing one store; the unit of work is the adapter's own. */
  private SplitStores.Builder splitWithout(String missing) {
    SplitWorld world = new SplitWorld(CreditPolicy.ALLOW_NEGATIVE, 10);
    SplitStores.Builder b = SplitStores.builder();
    if (!missing.equals("catalog")) {
      b.catalog(world.catalog);
    }
    if (!missing.equals("assignments")) {
      b.assignments(world.assignments);
    }
    if (!missing.equals("journal")) {
      b.journal(world.journal);
    }
    if (!missing.equals("creditLedger")) {
      b.creditLedger(world.ledger);
    }
    if (!missing.equals("spend")) {
      b.spend(world.spend);
    }
    if (!missing.equals("freeMinutes")) {
      b.freeMinutes(world.freeMinutes);
    }
    return b;
  }

  @ParameterizedTest
  @ValueSource(strings = {"catalog", "assignments", "journal", "creditLedger", "spend", "freeMinutes"})
  void splitStoresMissingAStoreAreRefusedNamingIt(String missing) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> splitWithout(missing).build());
    assertNames(missing, e);
  }

  @Test
  void everyStoreGivenBuildsAnEngineOnExactlyThoseStores() {
    BillingStores assembled = assembledWithout("nothing").build();
    PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock()).stores(assembled).build();

    assertSame(assembled, billing.stores());
    assertSame(memory.catalog(), billing.stores().catalog());
    assertSame(memory.unitOfWork(), billing.stores().unitOfWork());
    assertThrows(IllegalStateException.class, () -> BillingStores.builder().spend(memory.spend())
        .spend(memory.spend()), "a store is given once");
    assertThrows(NullPointerException.class, () -> BillingStores.builder().journal(null));
  }
}
