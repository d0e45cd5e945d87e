package dev.allotment.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link BillingStores#builder()} assembles a host's stores, every one of them required and given once. */
final class BillingStoresBuilderTest {
  private final InMemoryStores parts = new InMemoryStores();

  /** Each store's setter, fed from {@link #parts}. */
  private static final Map<String, BiConsumer<BillingStores.Builder, BillingStores>> SETTERS = new LinkedHashMap<>();

  static {
    SETTERS.put("catalog", (b, s) -> b.catalog(s.catalog()));
    SETTERS.put("assignments", (b, s) -> b.assignments(s.assignments()));
    SETTERS.put("journal", (b, s) -> b.journal(s.journal()));
    SETTERS.put("creditLedger", (b, s) -> b.creditLedger(s.creditLedger()));
    SETTERS.put("spend", (b, s) -> b.spend(s.spend()));
    SETTERS.put("freeMinutes", (b, s) -> b.freeMinutes(s.freeMinutes()));
    SETTERS.put("unitOfWork", (b, s) -> b.unitOfWork(s.unitOfWork()));
    SETTERS.put("events", (b, s) -> b.events(s.events()));
  }

  static Stream<Arguments> stores() {
    return SETTERS.keySet().stream().map(Arguments::of);
  }

  @Test
  void everyStoreGivenIsTheOneReturned() {
    BillingStores.Builder builder = BillingStores.builder();
    SETTERS.values().forEach(setter -> setter.accept(builder, parts));
    BillingStores built = builder.build();
    assertSame(parts.catalog(), built.catalog());
    assertSame(parts.assignments(), built.assignments());
    assertSame(parts.journal(), built.journal());
    assertSame(parts.creditLedger(), built.creditLedger());
    assertSame(parts.spend(), built.spend());
    assertSame(parts.freeMinutes(), built.freeMinutes());
    assertSame(parts.unitOfWork(), built.unitOfWork());
    assertSame(parts.events(), built.events());
  }

  @ParameterizedTest(name = "without {0}")
  @MethodSource("stores")
  void aMissingStoreIsRefusedByName(String missing) {
    BillingStores.Builder builder = BillingStores.builder();
    SETTERS.forEach((name, setter) -> {
      if (!name.equals(missing)) {
        setter.accept(builder, parts);
      }
    });
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertEquals("the stores lack " + missing + ": every store must be given", e.getMessage());
  }

  @ParameterizedTest(name = "{0} twice")
  @MethodSource("stores")
  void aStoreGivenTwiceIsRefusedByName(String twice) {
    BillingStores.Builder builder = BillingStores.builder();
    SETTERS.get(twice).accept(builder, parts);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SETTERS.get(twice).accept(builder, parts));
    assertEquals(twice + " is already set", e.getMessage());
  }

  @ParameterizedTest(name = "null {0}")
  @MethodSource("stores")
  void aNullStoreIsRefusedByName(String name) {
    // The parts, except that the named store is null.
    BillingStores withNull = (BillingStores) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BillingStores.class},
        (proxy, method, args) -> method.getName().equals(name) ? null : method.invoke(parts, args));
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> SETTERS.get(name).accept(BillingStores.builder(), withNull));
    assertEquals(name, e.getMessage());
  }

  @ParameterizedTest(name = "without {0}")
  @MethodSource("stores")
  void requireCompleteRefusesABundleLackingAStoreByName(String missing) {
    BillingStores lacking = (BillingStores) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BillingStores.class},
        (proxy, method, args) -> method.getName().equals(missing) ? null : method.invoke(parts, args));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> BillingStores.requireComplete(lacking));
    assertEquals("the stores lack " + missing + ": every store must be given", e.getMessage());
  }

  @Test
  void requireCompleteReturnsACompleteBundleAsItIs() {
    assertSame(parts, BillingStores.requireComplete(parts));
  }

  @Test
  void runLeasesAreOptionalGivenOnceAndReturnedAsGiven() {
    BillingStores.Builder builder = BillingStores.builder();
    SETTERS.values().forEach(setter -> setter.accept(builder, parts));
    assertEquals(java.util.Optional.empty(), builder.build().runLeases(), "a bundle without leases is complete");
    RunLeases leases = new InMemoryRunLeases();
    builder.runLeases(leases);
    assertSame(leases, builder.build().runLeases().orElseThrow());
    assertThrows(IllegalStateException.class, () -> builder.runLeases(leases));
  }
}
