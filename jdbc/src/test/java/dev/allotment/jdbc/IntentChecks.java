package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.recurring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.ConcurrentRunner;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UsageAllocator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC stores add to the contract kit for pending lines and revoked grants: pending rows
 * really go (not just hidden) with their commit, across chunks; a commit of lines never intended
 * costs no extra round trip on PostgreSQL; grants added if absent by racing nodes; calls racing a
 * revocation or a revival.
 */
abstract class IntentChecks {
  private static final Instant CALL = Instant.parse("2026-03-10T12:00:00Z");
  /** Lines over three chunks of {@value JdbcChargeJournal#CHUNK}. */
  private static final int ASSIGNMENTS = 1_250;

  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    stores = Fixtures.withContractPackages(db().freshStores());
  }

  /** Two months of each of {@value #ASSIGNMENTS} assignments: 2,500 lines. */
  private static List<ChargeLine> lines() {
    List<ChargeLine> lines = new ArrayList<>();
    for (int a = 0; a < ASSIGNMENTS; a++) {
      lines.add(recurring("i-" + a, JAN_1, "10.00"));
      lines.add(recurring("i-" + a, JAN_1.plusMonths(1), "10.00"));
    }
    return lines;
  }

  private static List<String> ids() {
    List<String> ids = new ArrayList<>();
    for (int a = 0; a < ASSIGNMENTS; a++) {
      ids.add("i-" + a);
    }
    return ids;
  }

  private long rows(String table) throws SQLException {
    try (Connection connection = db().dataSource().getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aCommitDeletesThePendingRowsOfItsKeysAcrossChunks() throws SQLException {
    List<ChargeLine> lines = lines();
    stores.journal().intend(lines);
    assertEquals(lines.size(), rows(JdbcChargeJournal.PENDING));
    assertEquals(ASSIGNMENTS, stores.journal().pending(ids()).size());

    assertEquals(100, stores.journal().commit(lines.subList(0, 100), Map.of()));
    assertEquals(lines.size() - 100, rows(JdbcChargeJournal.PENDING));
    stores.journal().intend(lines);
    assertEquals(lines.size() - 100, rows(JdbcChargeJournal.PENDING), "committed keys are not intended again");

    assertEquals(lines.size() - 100, stores.journal().commit(lines, Map.of()));
    assertEquals(0, rows(JdbcChargeJournal.PENDING));
    assertEquals(Map.of(), stores.journal().pending(ids()));
  }

  @Test
  void abandonDeletesAcrossChunksAndIgnoresKeysNoRowHolds() throws SQLException {
    List<ChargeLine> lines = lines();
    stores.journal().intend(lines);
    List<LineKey> keys = new ArrayList<>(lines.stream().map(ChargeLine::key).toList());
    keys.add(LineKey.of("i-0", LineKind.SETUP, LocalDate.of(12000, 1, 1)));
    keys.add(LineKey.of("x".repeat(100), LineKind.SETUP, JAN_1));
    stores.journal().abandon(keys);
    assertEquals(0, rows(JdbcChargeJournal.PENDING));
    assertEquals(Map.of(), stores.journal().pending(ids()));
  }

  @Test
  void intendRefusesWhatACommitRefusesAndRecordsNothingOfTheCall() throws SQLException {
    ChargeLine good = recurring("a1", JAN_1, "10.00");
    ChargeLine euro = Fixtures.withAmounts(recurring("a2", JAN_1, "10.00"), Money.of("10.00", "EUR"));
    ChargeLine dangling = Fixtures.withPackage(recurring("a3", JAN_1, "10.00"), "gone");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> stores.journal().intend(List.of(good, euro)));
    assertTrue(e.getMessage().contains("EUR") && e.getMessage().contains("'p1'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> stores.journal().intend(List.of(good, dangling)));
    assertTrue(e.getMessage().contains("'gone'"), e.getMessage());
    assertEquals(0, rows(JdbcChargeJournal.PENDING));
  }

  /**
   * What an intend racing a commit of the same key can leave (each statement blind to the other's
   * uncommitted row): a pending row for a committed key. It is never reported, and the next commit
   * of the key removes it.
   */
  @Test
  void aPendingRowLeftForACommittedKeyIsNotReported() throws SQLException {
    ChargeLine line = recurring("a1", JAN_1, "10.00");
    stores.journal().intend(List.of(line));
    try (Connection connection = db().dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      String columns = Sql.names(JdbcChargeJournal.COLUMNS);
      statement.executeUpdate("INSERT INTO " + JdbcChargeJournal.LINES + " (" + columns + ") SELECT " + columns
          + " FROM " + JdbcChargeJournal.PENDING);
    }
    assertEquals(1, rows(JdbcChargeJournal.PENDING));
    assertEquals(Map.of(), stores.journal().pending(List.of("a1")));
    assertEquals(Optional.of(line), stores.journal().find(line.key()));
    assertEquals(0, stores.journal().commit(List.of(line), Map.of()));
    assertEquals(0, rows(JdbcChargeJournal.PENDING));
  }

  @Test
  void aCommitOfLinesNeverIntendedCostsNoExtraRoundTripOnPostgreSql() {
    CountingDataSource counting = new CountingDataSource(db().dataSource());
    JdbcStores counted = JdbcStores.builder(counting).migrateOnStart(false).build();
    List<ChargeLine> lines = lines();
    Map<String, LocalDate> watermarks = new HashMap<>();
    ids().forEach(id -> watermarks.put(id, JAN_1.plusMonths(1)));
    counting.drain();

    assertEquals(lines.size(), counted.journal().commit(lines, watermarks));
    List<String> statements = counting.drain();
    // The package check, three chunks of lines, two of watermarks; H2 also reads the pending keys
    // of each chunk's assignments (in process, no round trip), and deletes nothing when there are none.
    int expected = db().dialect() == JdbcStores.Dialect.POSTGRESQL ? 1 + 3 + 2 : 1 + 3 + 3 + 2;
    assertEquals(expected, statements.size(), statements.toString());
    assertTrue(statements.stream().noneMatch(s -> s.startsWith("DELETE")), statements.toString());
  }

  @Test
  void grantsAddedIfAbsentByRacingNodesAreAddedOnceWithTheTermsOfOne() throws Exception {
    FreeMinuteStore store = stores.freeMinuteStore();
    int grants = 300;
    ConcurrentRunner.run(4, 3, (thread, round) -> {
      List<Grant> batch = new ArrayList<>();
      // Overlapping, in different orders per thread; each thread's terms differ.
      for (int g = 0; g < grants; g++) {
        int id = thread % 2 == 0 ? g : grants - 1 - g;
        batch.add(Grant.builder("g" + id).assignmentId("a").customerId("c").allocatedSeconds(100 + thread)
            .validFrom(CALL).build());
      }
      store.addGrantsIfAbsent(batch);
    });
    List<GrantBalance> balances = store.balances("c");
    assertEquals(grants, balances.size());
    for (GrantBalance balance : balances) {
      long allocated = balance.grant().allocatedSeconds();
      assertTrue(allocated >= 100 && allocated <= 103, balance.toString());
    }
  }

  /**
   * Calls consumed by four threads while one of them revokes the grant they take from: the grant's
   * used seconds are exactly what the recorded consumptions took from it, and a call consumed after
   * the revocation returned (on the revoking thread) takes nothing from it.
   */
  @Test
  void callsRacingARevocationTakeNothingFromTheGrantAfterIt() throws Exception {
    FreeMinuteStore store = stores.freeMinuteStore();
    Grant revoked = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(10_000_000)
        .validFrom(CALL.minusSeconds(86_400)).build();
    Grant other = Grant.builder("h").assignmentId("a").customerId("c").allocatedSeconds(10_000_000)
        .validFrom(CALL.minusSeconds(86_400)).build();
    store.addGrants(List.of(revoked, other));
    Queue<Consumption> consumed = new ConcurrentLinkedQueue<>();
    Queue<Consumption> afterRevocation = new ConcurrentLinkedQueue<>();
    AtomicBoolean revokedOnce = new AtomicBoolean();
    ConcurrentRunner.run(4, 30, (thread, i) -> {
      if (thread == 0 && i == 10) {
        assertTrue(store.revokeGrant("g"));
        revokedOnce.set(true);
      }
      Consumption consumption = store.consume(UsageRecord.of("u-" + thread + "-" + i, "c", "4420", CALL, 60),
          UsageAllocator.STANDARD);
      consumed.add(consumption);
      if (thread == 0 && i >= 10) {
        afterRevocation.add(consumption);
      }
    });
    assertTrue(revokedOnce.get());
    long takenFromG = 0;
    for (Consumption consumption : consumed) {
      assertEquals(60, consumption.coveredSeconds(), consumption.toString());
      for (GrantSeconds take : consumption.takes()) {
        if (take.grantId().equals("g")) {
          takenFromG += take.seconds();
        }
      }
    }
    assertEquals(takenFromG, store.balance("g").orElseThrow().usedSeconds());
    assertEquals(20, afterRevocation.size());
    for (Consumption consumption : afterRevocation) {
      assertEquals(List.of(new GrantSeconds("h", 60)), consumption.takes(), consumption.toString());
    }
    assertEquals(List.of("h"), store.balances("c").stream().map(b -> b.grant().id()).toList());
  }

  /**
   * Calls consumed by four threads while one of them revives (with {@code addGrantsIfAbsent}) the
   * revoked grant every call prefers: its used seconds are exactly what the recorded consumptions
   * took from it, on top of what it had when revoked, and every call consumed after the revival
   * returned (on the reviving thread) takes from it again.
   */
  @Test
  void callsRacingARevivalTakeFromTheGrantOnceItReturns() throws Exception {
    FreeMinuteStore store = stores.freeMinuteStore();
    Grant revived = Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(10_000_000)
        .validFrom(CALL.minusSeconds(86_400)).build();
    Grant other = Grant.builder("h").assignmentId("a").customerId("c").allocatedSeconds(10_000_000)
        .validFrom(CALL.minusSeconds(86_400)).build();
    store.addGrants(List.of(revived, other));
    assertEquals(30, store.take("g", 30));
    assertTrue(store.revokeGrant("g"));
    Queue<Consumption> consumed = new ConcurrentLinkedQueue<>();
    Queue<Consumption> afterRevival = new ConcurrentLinkedQueue<>();
    ConcurrentRunner.run(4, 30, (thread, i) -> {
      if (thread == 0 && i == 10) {
        // Other terms, as a rerun's grant may have: the held row keeps its own.
        store.addGrantsIfAbsent(List.of(Grant.builder("g").assignmentId("a").customerId("c").allocatedSeconds(1)
            .validFrom(CALL).build()));
      }
      Consumption consumption = store.consume(UsageRecord.of("u-" + thread + "-" + i, "c", "4420", CALL, 60),
          UsageAllocator.STANDARD);
      consumed.add(consumption);
      if (thread == 0 && i >= 10) {
        afterRevival.add(consumption);
      }
    });
    long takenFromG = 0;
    for (Consumption consumption : consumed) {
      assertEquals(60, consumption.coveredSeconds(), consumption.toString());
      for (GrantSeconds take : consumption.takes()) {
        if (take.grantId().equals("g")) {
          takenFromG += take.seconds();
        }
      }
    }
    assertEquals(Optional.of(new GrantBalance(revived, 30 + takenFromG)), store.balance("g"));
    assertEquals(20, afterRevival.size());
    for (Consumption consumption : afterRevival) {
      assertEquals(List.of(new GrantSeconds("g", 60)), consumption.takes(), consumption.toString());
    }
    assertEquals(List.of("g", "h"), store.balances("c").stream().map(b -> b.grant().id()).toList());
  }
}
