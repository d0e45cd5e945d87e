package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.assignment;
import static dev.allotment.spi.ContractFixtures.recurring;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.Frequency;
import dev.allotment.core.Grant;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.SpendQuery;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ChargeJournal.HistoryRequest;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Text no database column keeps exactly, U+0000 (PostgreSQL refuses it, even as a query parameter)
 * and unpaired UTF-16 surrogates (PostgreSQL's driver sends '?' instead): refused when written, with
 * an {@link IllegalArgumentException} naming the field, before any statement; and by design a
 * lookup by such an id finds nothing, also without a statement. Both go through
 * {@code noStatements}, stores whose every prepared statement fails, so an answer from the
 * database (or a failure) would show. The same on both databases.
 */
abstract class UnstorableTextChecks {
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");

  private JdbcStores stores;
  private JdbcStores noStatements;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
    FailingDataSource failing = new FailingDataSource(db().dataSource());
    noStatements = Fixtures.withContractPackages(JdbcStores.builder(failing).migrateOnStart(false).build());
    failing.failOn("");
  }

  private static String highSurrogate() {
    return "x" + (char) 0xD800 + "y";
  }

  private static String lowSurrogate() {
    return (char) 0xDC00 + "x";
  }

  /** Strings core accepts as ids (no controls) that no column keeps: unpaired surrogates. */
  static Stream<String> unstorableIds() {
    return Stream.of(highSurrogate(), lowSurrogate(), "x" + (char) 0xD800);
  }

  /** Any text no column keeps. */
  static Stream<String> unstorableTexts() {
    return Stream.concat(unstorableIds(), Stream.of("x\0y", "\0"));
  }

  private static void refused(Executable executable, String... named) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
    for (String text : named) {
      assertTrue(e.getMessage().contains(text), () -> "'" + e.getMessage() + "' should name " + text);
    }
    assertTrue(e.getMessage().contains("U+0000") || e.getMessage().contains("unpaired surrogate U+D"),
        e.getMessage());
  }

  private static Grant grant(String id, String customerId) {
    return Grant.builder(id).assignmentId("a").customerId(customerId).allocatedSeconds(100).validFrom(CALL).build();
  }

  @ParameterizedTest
  @MethodSource("unstorableIds")
  void anIdNoColumnKeepsIsRefusedBeforeAnyStatement(String bad) {
    refused(() -> noStatements.catalog().define(ContractFixtures.monthly(bad, "10")), "id");
    refused(() -> noStatements.assignments().add(assignment(bad, "c1", "p1")), "id");
    refused(() -> noStatements.assignments().add(assignment("a1", bad, "p1")), "customerId");
    refused(() -> noStatements.assignments().replace(assignment("a1", "c1", "p1"), assignment("a1", "c1", bad)),
        "packageId");
    refused(() -> noStatements.unitOfWork().commit(Fixtures.lines(List.of(recurring(bad, JAN_1, "1.00")), Map.of())),
        "assignmentId");
    refused(() -> noStatements.unitOfWork().commit(Fixtures.lines(List.of(), Map.of(bad, JAN_1))),
        "watermark assignment id");
    refused(() -> noStatements.creditLedger().credit(new CreditEntry("k", bad, usd("1"))), "customerId");
    refused(() -> noStatements.unitOfWork().commit(ChargeBatch.builder()
        .postings(List.of(new Posting(new CreditEntry("k", bad, usd("1")), true))).build()), "customerId");
    refused(() -> noStatements.unitOfWork().commit(ChargeBatch.ofGrants(List.of(grant(bad, "c")))), "grantId");
    refused(() -> noStatements.unitOfWork().commit(ChargeBatch.ofGrants(List.of(grant("g", bad)))), "customerId");
    refused(() -> noStatements.freeMinutes().consume(UsageRecord.of(bad, "c", "4420", CALL, 60),
        ContractFixtures.RULES), "usageId");
    refused(() -> noStatements.freeMinutes().consume(UsageRecord.of("u", bad, "4420", CALL, 60),
        ContractFixtures.RULES), "customerId");
  }

  @ParameterizedTest
  @MethodSource("unstorableTexts")
  void textNoColumnKeepsIsRefusedBeforeAnyStatement(String bad) {
    refused(() -> noStatements.catalog().define(ServicePackage.builder("p2").name("P " + bad).currency("USD")
        .frequency(Frequency.MONTHLY).build()), "name");
    refused(() -> noStatements.catalog().define(ServicePackage.builder("p2").name("P").description(bad)
        .currency("USD").frequency(Frequency.MONTHLY).build()), "description");
    refused(() -> noStatements.catalog().define(ServicePackage.builder("p2").name("P").features("ok", bad)
        .currency("USD").frequency(Frequency.MONTHLY).build()), "features");
    // Keys and ids are refused by core (Ids), before any store: every store alike.
    refused(() -> noStatements.creditLedger().credit(new CreditEntry("k" + bad, "c1", usd("1"))), "key");
    refused(() -> noStatements.unitOfWork().commit(ChargeBatch.builder()
        .postings(List.of(new Posting(new CreditEntry("k" + bad, "c1", usd("1")), true))).build()),
        "key");
    refused(() -> noStatements.spend().record("k" + bad, "c1", JAN_1, usd("1")), "key");
    refused(() -> noStatements.spend().record("k", "c" + bad, JAN_1, usd("1")), "customerId");
  }

  @ParameterizedTest
  @MethodSource("unstorableTexts")
  void aLookupByTextNoColumnKeepsFindsNothingWithoutAStatement(String bad) {
    assertEquals(Optional.empty(), noStatements.catalog().find(bad));
    assertEquals(Optional.empty(), noStatements.assignments().find(bad));
    assertEquals(List.of(), noStatements.assignments().page(Optional.of(bad), Optional.empty(), 10));
    assertEquals(List.of(), noStatements.journal().lines(bad));
    assertEquals(ChargeHistory.EMPTY, noStatements.journal().histories(List.of(new HistoryRequest(bad,
        Optional.empty()))).getOrDefault(bad, ChargeHistory.EMPTY));
    assertEquals(usd("0"), noStatements.creditLedger().balance(bad, Currency.getInstance("USD")));
    assertEquals(List.of(), noStatements.freeMinutes().balances(bad, CALL));
    assertEquals(Optional.empty(), noStatements.freeMinutes().consumption(bad));
    assertEquals(Optional.empty(), noStatements.freeMinutes().refund(bad, CALL));
    // A page position no id can be is the caller's mistake.
    IllegalArgumentException position = assertThrows(IllegalArgumentException.class,
        () -> noStatements.assignments().page(Optional.empty(), Optional.of(bad), 10));
    assertTrue(position.getMessage().contains("afterId"), position.getMessage());
  }

  /**
   * A batch checking the version of an assignment no row can hold finds it changed, a floor of a
   * customer no row can hold finds a zero balance, all without a statement; a spend query cannot name
   * such a customer at all.
   */
  @ParameterizedTest
  @MethodSource("unstorableIds")
  void checksAndQueriesOfIdsNoColumnKeepsAnswerWithoutAStatement(String bad) {
    // No spend query can name such a customer any more: core refuses it (Ids), for every store alike.
    refused(() -> new SpendQuery(bad, Currency.getInstance("USD"), new BillingPeriod(JAN_1, JAN_1.plusMonths(1))),
        "customerId");
    assertEquals(BatchResult.refused(Set.of(bad), Set.of()), noStatements.unitOfWork().commit(
        ChargeBatch.builder().expectedVersions(Map.of(bad, 0L)).build()));
    assertEquals(BatchResult.refused(Set.of(), Set.of(bad)), noStatements.unitOfWork().commit(
        ChargeBatch.builder().floors(List.of(new CreditFloor(bad, usd("0.01")))).build()));
    assertEquals(BatchResult.committed(0), noStatements.unitOfWork().commit(
        ChargeBatch.builder().floors(List.of(new CreditFloor(bad, usd("0")))).build()));
  }

  @Test
  void supplementaryCharactersArePairedSurrogatesAndStoredExactly() {
    String emoji = new String(Character.toChars(0x1F600));
    ServicePackage p = ServicePackage.builder("p-" + emoji).name("Smile " + emoji).description(emoji + " and more")
        .currency("USD").frequency(Frequency.MONTHLY).features(emoji).build();
    stores.catalog().define(p);
    assertEquals(Optional.of(p), stores.catalog().find(p.id()));
    assertTrue(stores.creditLedger().credit(new CreditEntry("k-" + emoji, "c-" + emoji, usd("1"))));
    assertEquals(usd("1"), stores.creditLedger().balance("c-" + emoji, Currency.getInstance("USD")));
  }
}
