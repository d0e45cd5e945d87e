package dev.allotment.jdbc;

import static dev.allotment.spi.ContractFixtures.JAN_1;
import static dev.allotment.spi.ContractFixtures.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Proration;
import dev.allotment.core.UsageRecord;
import dev.allotment.jdbc.CrashingDataSource.Mode;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.ContractFixtures;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.EventType;
import dev.allotment.spi.StoredEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the JDBC unit of work adds to the contract kit: a batch is one transaction however it
 * fails (a database lost at any of its statements leaves every table as it was, row for row), a
 * refused batch writes nothing, a replayed batch changes nothing, a revoked grant comes back with
 * its row's terms, the version check holds until the commit, and a CHARGE-sized batch costs a
 * handful of statements.
 */
abstract class BatchCommitChecks {
  private static final Currency USD = Currency.getInstance("USD");
  private static final Instant CALL = Instant.parse("2026-01-10T12:00:00Z");

  private TestDatabase.Fresh fresh;
  private DataSource pool;
  private JdbcStores stores;

  abstract TestDatabase db();

  @BeforeEach
  void setUpStores() {
    fresh = db().fresh();
    pool = fresh.pool();
    stores = Fixtures.withContractPackages(JdbcStores.create(pool));
  }

  private static LineSubject subject(String assignmentId, String customerId, String packageId) {
    return new LineSubject(assignmentId, customerId, Optional.empty(), packageId, 1, true);
  }

  private static ChargeLine monthOf(LineSubject subject, LocalDate start) {
    return ChargeLine.recurring(subject, new BillingPeriod(start, start.plusMonths(1)), usd("10.00"), usd("1.00"),
        Proration.WHOLE);
  }

  private static ChargeLine minutesOf(LineSubject subject, LocalDate start) {
    return ChargeLine.freeMinutes(subject, new BillingPeriod(start, start.plusMonths(1)), USD, Proration.WHOLE, 600,
        Optional.of(start.plusMonths(1)));
  }

  private static Grant grant(ChargeLine line) {
    return Grant.builder(line.key().toString()).assignmentId(line.assignmentId()).customerId(line.customerId())
        .allocatedSeconds(line.grantSeconds()).validFrom(line.period().start().atStartOfDay(ZoneOffset.UTC).toInstant())
        .build();
  }

  private static Posting debit(ChargeLine line) {
    return new Posting(new CreditEntry(line.key().toString(), line.customerId(), line.retail()), true);
  }

  /**
   * The stores before the batch under test: three assignments (a3 with a reprice marker), January
   * charged (a line, its grant and its debit), the grant of a2 revoked (as the V4 upgrade leaves
   * the grant of an undone line) after a call took from it, and credit for c1.
   */
  private List<Assignment> prepare() {
    List<Assignment> held = new ArrayList<>();
    for (String id : List.of("a1", "a2", "a3")) {
      stores.assignments().add(ContractFixtures.assignment(id, "c1", id.equals("a2") ? "fm" : "p1"));
    }
    Assignment a3 = stores.assignments().find("a3").orElseThrow();
    stores.assignments().replace(a3, a3.withEndDate(JAN_1.plusMonths(2).plusDays(9), ContractFixtures.P1));
    stores.creditLedger().credit(new CreditEntry("top", "c1", usd("100.00")));
    ChargeLine january = monthOf(subject("a1", "c1", "p1"), JAN_1);
    ChargeLine minutes = minutesOf(subject("a2", "c1", "fm"), JAN_1);
    assertEquals(BatchResult.committed(2), stores.unitOfWork().commit(ChargeBatch.builder()
        .lines(List.of(january, minutes)).grants(List.of(grant(minutes))).postings(List.of(debit(january)))
        .watermarks(Map.of("a1", JAN_1)).build()));
    stores.freeMinutes().consume(UsageRecord.of("u1", "c1", "4420", CALL, 90), ContractFixtures.RULES);
    revoke(grant(minutes).id());
    for (String id : List.of("a1", "a2", "a3")) {
      held.add(stores.assignments().find(id).orElseThrow());
    }
    return held;
  }

  private void revoke(String grantId) {
    try {
      MigrationChecks.execute(pool, "UPDATE " + FreeMinuteSql.GRANTS + " SET revoked_at = CURRENT_TIMESTAMP"
          + " WHERE id = '" + grantId + "'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A batch with every kind of effect and check: February's lines of three assignments, January's
   * held line again, grants new and revoked, debits new and held, watermarks, a floor, versions
   * and a reprice marker.
   */
  private static ChargeBatch everything(List<Assignment> held) {
    LocalDate feb = JAN_1.plusMonths(1);
    ChargeLine a1 = monthOf(subject("a1", "c1", "p1"), feb);
    ChargeLine a3 = monthOf(subject("a3", "c1", "p1"), feb);
    ChargeLine minutes = minutesOf(subject("a2", "c1", "fm"), feb);
    ChargeLine january = monthOf(subject("a1", "c1", "p1"), JAN_1);
    ChargeLine revoked = minutesOf(subject("a2", "c1", "fm"), JAN_1);
    return ChargeBatch.builder().expectedVersionsOf(held).floors(List.of(new CreditFloor("c1", usd("20.00"))))
        .lines(List.of(a1, minutes, a3, january, revoked))
        .watermarks(Map.of("a1", feb, "a2", feb, "a3", feb))
        .grants(List.of(grant(minutes), grant(revoked)))
        .postings(List.of(debit(a1), debit(a3), debit(january))).repriced(Set.of("a3")).build();
  }

  @Test
  void aDatabaseLostAtAnyStatementOfABatchLeavesEveryTableAsItWas() {
    ChargeBatch batch = everything(prepare());
    Map<String, List<String>> before = StoreState.dump(pool);
    BatchResult result = null;
    int k = 0;
    for (; result == null; k++) {
      CrashingDataSource crashing = new CrashingDataSource(fresh.unpooled());
      JdbcStores doomed = JdbcStores.builder(crashing).dialect(db().dialect()).migrateOnStart(false).build();
      crashing.arm(Mode.STATEMENTS, k);
      try {
        result = doomed.unitOfWork().commit(batch);
      } catch (JdbcStoreException e) {
        assertTrue(crashing.dead(), "failed because the database was lost: " + e);
        assertEquals(before, StoreState.dump(pool), "after losing the database at statement " + (k + 1));
      }
    }
    // PostgreSQL: checks, writes, reprice markers. H2: versions, balances, packages, lines, watermarks,
    // grants, entries, balance additions, reprice markers. A loss at each of them was tried above.
    assertEquals(db().dialect() == JdbcStores.Dialect.POSTGRESQL ? 3 : 9, k - 1, "statements of the batch");
    assertEquals(BatchResult.committed(3), result);
    // 100.00 credited, January's 10.00 debited before; February's two debits now, January's not again.
    assertEquals(usd("70.00"), stores.creditLedger().balance("c1", USD));
    Assignment a3 = stores.assignments().find("a3").orElseThrow();
    assertEquals(Optional.empty(), a3.repriceFrom());
    assertEquals(2, a3.version(), "replaced once, repriced once");
    // January's grant revived with what its call used, February's new.
    assertEquals(List.of(90L, 0L), stores.freeMinutes().balances("c1", CALL.plus(Duration.ofDays(30)))
        .stream().map(GrantBalance::usedSeconds).toList());
  }

  @Test
  void aBatchRefusedByAVersionWritesNothing() {
    List<Assignment> held = prepare();
    Assignment a1 = held.get(0);
    stores.assignments().replace(a1, a1.withEndDate(JAN_1.plusMonths(5), ContractFixtures.P1));
    Map<String, List<String>> before = StoreState.dump(pool);
    assertEquals(BatchResult.refused(Set.of("a1"), Set.of()), stores.unitOfWork().commit(everything(held)));
    assertEquals(before, StoreState.dump(pool));
  }

  @Test
  void aBatchRefusedByAFloorWritesNothing() {
    ChargeBatch batch = everything(prepare());
    stores.unitOfWork().commit(ChargeBatch.builder().postings(List.of(new Posting(new CreditEntry("spent", "c1",
        usd("80.01")), true))).build());
    Map<String, List<String>> before = StoreState.dump(pool);
    assertEquals(BatchResult.refused(Set.of(), Set.of("c1")), stores.unitOfWork().commit(batch));
    assertEquals(before, StoreState.dump(pool));
  }

  @Test
  void aBatchCommittedAgainChangesNothing() {
    List<Assignment> held = prepare();
    ChargeBatch batch = everything(held);
    // Without the reprice marker, whose clearing moves the version the batch checks.
    ChargeBatch replayable = ChargeBatch.builder().expectedVersions(Map.of("a1", held.get(0).version()))
        .floors(batch.floors()).lines(batch.lines()).watermarks(batch.watermarks()).grants(batch.grants())
        .postings(batch.postings()).build();
    assertEquals(BatchResult.committed(3), stores.unitOfWork().commit(replayable));
    Map<String, List<String>> after = StoreState.dump(pool);
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(replayable));
    assertEquals(after, StoreState.dump(pool));
  }

  /**
   * A revoked grant given again by a batch serves calls again with the terms and used seconds of
   * its row, whatever terms the batch carries; a live one is left as it is.
   */
  @Test
  void aRevokedGrantIsRevivedWithTheTermsOfItsRow() {
    prepare();
    Grant stored = grant(minutesOf(subject("a2", "c1", "fm"), JAN_1));
    assertEquals(List.of(), stores.freeMinutes().balances("c1", CALL), "revoked");
    Grant other = Grant.builder(stored.id()).assignmentId("a2").customerId("c1").allocatedSeconds(9999)
        .validFrom(stored.validFrom()).build();
    assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.ofGrants(List.of(other))));
    assertEquals(List.of(new GrantBalance(stored, 90)), stores.freeMinutes().balances("c1", CALL));
    assertEquals(510, stores.freeMinutes().consume(UsageRecord.of("u2", "c1", "4420", CALL, 600),
        ContractFixtures.RULES).coveredSeconds());
  }

  private static BillingEvent eventOf(EventType type, String cause, String customerId) {
    return new BillingEvent(BillingEvent.idOf(type, cause), type, customerId, CALL, "{\"cause\":\"" + cause + "\"}");
  }

  /** The events a batch carries for its lines, grants and postings, as the engine writes them. */
  private static List<BillingEvent> eventsOf(List<ChargeLine> lines, List<Grant> grants, List<Posting> postings) {
    List<BillingEvent> events = new ArrayList<>();
    lines.forEach(line -> events.add(eventOf(EventType.LINE_CHARGED, line.key().toString(), line.customerId())));
    grants.forEach(grant -> events.add(eventOf(EventType.GRANT_ISSUED, grant.id(), grant.customerId())));
    postings.forEach(p -> events.add(eventOf(EventType.CREDIT_POSTED, p.entry().key(), p.entry().customerId())));
    return events;
  }

  /**
   * A batch's events follow the effects it inserted: a line, grant or debit held before (a grant
   * revoked and revived among them) has no event again, a new one has its event, and an event of no
   * effect of the batch is written once by its id. (On PostgreSQL the first go to event pages.)
   */
  @Test
  void aBatchWritesTheEventsOfTheEffectsItInsertedOnly() {
    stores.assignments().add(ContractFixtures.assignment("a2", "c1", "fm"));
    ChargeLine january = monthOf(subject("a1", "c1", "p1"), JAN_1);
    ChargeLine minutes = minutesOf(subject("a2", "c1", "fm"), JAN_1);
    List<BillingEvent> first = eventsOf(List.of(january, minutes), List.of(grant(minutes)),
        List.of(debit(january)));
    assertTrue(stores.unitOfWork().commit(ChargeBatch.builder().lines(List.of(january, minutes))
        .grants(List.of(grant(minutes))).postings(List.of(debit(january))).events(first).build()).isCommitted());
    revoke(grant(minutes).id());

    ChargeLine february = monthOf(subject("a1", "c1", "p1"), JAN_1.plusMonths(1));
    ChargeLine moreMinutes = minutesOf(subject("a2", "c1", "fm"), JAN_1.plusMonths(1));
    List<ChargeLine> lines = List.of(january, february, minutes, moreMinutes);
    List<Grant> grants = List.of(grant(minutes), grant(moreMinutes));
    List<Posting> postings = List.of(debit(january), debit(february));
    List<BillingEvent> second = new ArrayList<>(eventsOf(lines, grants, postings));
    BillingEvent upcoming = eventOf(EventType.CHARGE_UPCOMING, "a1/RECURRING/2026-03-01", "c1");
    second.add(upcoming);
    assertEquals(BatchResult.committed(2), stores.unitOfWork().commit(ChargeBatch.builder().lines(lines)
        .grants(grants).postings(postings).events(second).build()));

    List<StoredEvent> read = stores.events().read(0, 100);
    List<String> expected = new ArrayList<>(first.stream().map(BillingEvent::id).toList());
    expected.addAll(List.of(BillingEvent.idOf(EventType.LINE_CHARGED, february.key().toString()),
        BillingEvent.idOf(EventType.LINE_CHARGED, moreMinutes.key().toString()),
        BillingEvent.idOf(EventType.GRANT_ISSUED, grant(moreMinutes).id()),
        BillingEvent.idOf(EventType.CREDIT_POSTED, february.key().toString()), upcoming.id()));
    assertEquals(new TreeSet<>(expected), new TreeSet<>(read.stream().map(e -> e.event().id()).toList()));
    assertEquals(expected.size(), read.size(), "each once: " + read);
    for (int i = 1; i < read.size(); i++) {
      assertTrue(read.get(i).cursor() > read.get(i - 1).cursor(), "cursors rise: " + read);
    }
    assertEquals(second.subList(second.size() - 1, second.size()), read.subList(read.size() - 1, read.size()).stream()
        .map(StoredEvent::event).toList(), "the event of no effect, last, as given");
  }

  /**
   * A batch of more lines than one statement writes (1,200 lines: two chunks on PostgreSQL), the
   * last hundred held before with their events: every line has exactly one LINE_CHARGED event, and
   * reading in small steps gives them all once, in cursor order.
   */
  @Test
  void aBatchOfTwoChunksWithHeldLinesWritesEachLinesEventOnce() {
    List<ChargeLine> lines = new ArrayList<>();
    for (int month = 0; month < 1_200; month++) {
      lines.add(monthOf(subject("a1", "c1", "p1"), JAN_1.plusMonths(month)));
    }
    List<ChargeLine> tail = lines.subList(1_100, 1_200);
    assertEquals(BatchResult.committed(100), stores.unitOfWork().commit(ChargeBatch.builder().lines(tail)
        .events(eventsOf(tail, List.of(), List.of())).build()));
    assertEquals(BatchResult.committed(1_100), stores.unitOfWork().commit(ChargeBatch.builder().lines(lines)
        .events(eventsOf(lines, List.of(), List.of())).build()));

    List<StoredEvent> read = new ArrayList<>();
    long cursor = 0;
    for (List<StoredEvent> page = stores.events().read(cursor, 7); !page.isEmpty();
        page = stores.events().read(cursor, 7)) {
      assertTrue(page.size() <= 7, "at most the limit: " + page.size());
      for (StoredEvent event : page) {
        assertTrue(event.cursor() > cursor, "cursors rise: " + event.cursor() + " after " + cursor);
        cursor = event.cursor();
        read.add(event);
      }
    }
    assertEquals(new TreeSet<>(eventsOf(lines, List.of(), List.of()).stream().map(BillingEvent::id).toList()),
        new TreeSet<>(read.stream().map(e -> e.event().id()).toList()));
    assertEquals(1_200, read.size(), "each once");

    // Retention through a cursor inside the events: what remains is exactly what lies past it.
    long middle = read.get(600).cursor();
    assertEquals(601, stores.events().deleteThrough(middle));
    assertEquals(read.subList(601, 1_200), stores.events().read(0, 2_000));
    assertEquals(0, stores.events().deleteThrough(middle), "nothing left to delete there");
    assertEquals(599, stores.events().deleteThrough(cursor));
    assertEquals(List.of(), stores.events().read(0, 2_000));
  }

  /**
   * A CHARGE batch of 500 lines (250 assignments, each a recurring line and a free-minute line),
   * with grants, debits, watermarks and versions, costs a handful of statements: on PostgreSQL two
   * (the checks, the writes), on H2 one per check and one JDBC batch per table.
   */
  @Test
  void aChargeSizedBatchCostsAHandfulOfStatements() {
    List<Assignment> planned = new ArrayList<>();
    List<ChargeLine> lines = new ArrayList<>();
    List<Grant> grants = new ArrayList<>();
    List<Posting> postings = new ArrayList<>();
    Map<String, LocalDate> watermarks = new HashMap<>();
    for (int i = 0; i < 250; i++) {
      String id = String.format("b%03d", i);
      stores.assignments().add(ContractFixtures.assignment(id, "c" + i % 40, "fm"));
      planned.add(stores.assignments().find(id).orElseThrow());
      LineSubject subject = subject(id, "c" + i % 40, "fm");
      ChargeLine recurring = monthOf(subject, JAN_1);
      ChargeLine minutes = minutesOf(subject, JAN_1);
      lines.add(recurring);
      lines.add(minutes);
      grants.add(grant(minutes));
      postings.add(debit(recurring));
      watermarks.put(id, JAN_1);
    }
    ChargeBatch batch = ChargeBatch.builder().expectedVersionsOf(planned).lines(lines).watermarks(watermarks)
        .grants(grants).postings(postings).build();
    CountingDataSource counting = new CountingDataSource(pool);
    JdbcStores counted = JdbcStores.builder(counting).dialect(db().dialect()).migrateOnStart(false).build();
    counting.drain();
    assertEquals(BatchResult.committed(500), counted.unitOfWork().commit(batch));
    List<String> statements = counting.drain();
    // PostgreSQL: the checks, then every write. H2: versions, packages, then lines, watermarks, grants,
    // entries and balances.
    assertEquals(db().dialect() == JdbcStores.Dialect.POSTGRESQL ? 2 : 7, statements.size(), statements.toString());
    // Customer c0 has assignments b000, b040, ..., b240: seven debits of 10.00.
    assertEquals(usd("-70.00"), stores.creditLedger().balance("c0", USD));
  }

  @Test
  void aLineOfAPackageTheCatalogLacksIsRefusedBeforeAnythingIsWritten() {
    Map<String, List<String>> before = StoreState.dump(pool);
    ChargeBatch batch = ChargeBatch.builder().lines(List.of(Fixtures.withPackage(ContractFixtures.recurring("a1",
        JAN_1, "1.00"), "gone"))).watermarks(Map.of("a1", JAN_1)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stores.unitOfWork().commit(batch));
    assertTrue(e.getMessage().contains("'gone'"), e.getMessage());
    assertEquals(before, StoreState.dump(pool));
  }

  /**
   * The version check holds until the commit: a batch that checked an assignment's version and is
   * paused before its writes keeps a replace of that assignment waiting (seen in the database's
   * sessions) until it commits; the replace then succeeds on top of it.
   */
  @Test
  @Timeout(60)
  void aReplaceOfACheckedAssignmentWaitsForTheBatchToCommit() throws Exception {
    stores.assignments().add(ContractFixtures.assignment("a1", "c1", "p1"));
    Assignment held = stores.assignments().find("a1").orElseThrow();
    CountDownLatch checked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DataSource pausing = new ForwardingDataSource(pool) {
      @Override
      Connection wrap(Connection connection) {
        return hookPrepared(connection, sql -> {
          if (sql.contains("INTO " + JdbcChargeJournal.LINES + " ")) {
            checked.countDown();
            await(release);
          }
        });
      }
    };
    JdbcStores paused = JdbcStores.builder(pausing).dialect(db().dialect()).migrateOnStart(false).build();
    ChargeBatch batch = ChargeBatch.builder().expectedVersionsOf(List.of(held))
        .lines(List.of(ContractFixtures.recurring("a1", JAN_1, "1.00"))).build();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<BatchResult> commit = threads.submit(() -> paused.unitOfWork().commit(batch));
      await(checked);
      Future<Optional<Assignment>> replace = threads.submit(() -> stores.assignments().replace(held,
          held.withEndDate(JAN_1.plusMonths(5), ContractFixtures.P1)));
      while (!aSessionWaitsForALock()) {
        assertFalse(replace.isDone(), "the replace ended while the batch held its check");
        Thread.onSpinWait();
      }
      release.countDown();
      assertEquals(BatchResult.committed(1), commit.get());
      assertEquals(1, replace.get().orElseThrow().version(), "the replace went on top of the batch");
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("waited 30 s for the other thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** True when a session of the database waits for a row lock. */
  private boolean aSessionWaitsForALock() throws SQLException {
    String sql = db().dialect() == JdbcStores.Dialect.POSTGRESQL
        ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
    return MigrationChecks.count(pool, sql) > 0;
  }
}
