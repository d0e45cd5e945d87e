package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.LineStatus;
import dev.allotment.core.ChargeLine;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A run of several pages reads the next page (assignments and histories) on a thread of its own
 * while it commits the current one: the first page is read on the caller's thread, the others on
 * one daemon thread that ends with the run; a failure reading ahead reaches the caller as the
 * store threw it; a run of one page starts no thread. (That the plan and commits are those of a
 * run without read-ahead is what every other engine test checks, on pages of 9 and 13.)
 */
final class ReadAheadTest {
  private static final LocalDate RUN = LocalDate.of(2026, 1, 31);
  private static final int PAGE = 10;

  /**
   * In-memory stores whose assignment store and journal record the thread of every page and history
   * read; throws on the {@code failOn}-th page (0: never).
   */
  private static final class Watched implements ChargeJournal, AssignmentStore {
    final InMemoryStores memory = new InMemoryStores();
    final AssignmentStore assignments = memory.assignments();
    final List<Thread> pageThreads = Collections.synchronizedList(new ArrayList<>());
    final List<Thread> historyThreads = Collections.synchronizedList(new ArrayList<>());
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final AtomicInteger pages = new AtomicInteger();
    final RuntimeException failure = new IllegalStateException("the store failed reading a page");
    final int failOn;
    /** When set, the second page read (the first read ahead) waits for it, then records that it ended. */
    volatile CountDownLatch holdSecondPage;
    final CountDownLatch secondPageStarted = new CountDownLatch(1);
    volatile boolean secondPageEnded;
    /** When set, commits go here instead of to the in-memory stores. */
    volatile UnitOfWork commits;

    Watched(int failOn) {
      this.failOn = failOn;
    }

    /** The in-memory stores, with these reads watched. */
    BillingStores stores() {
      return BillingStores.builder().catalog(memory.catalog()).assignments(this).journal(this)
          .creditLedger(memory.creditLedger()).spend(memory.spend()).freeMinutes(memory.freeMinutes())
          .unitOfWork(batch -> (commits != null ? commits : memory.unitOfWork()).commit(batch))
          .events(memory.events()).build();
    }

    @Override
    public List<Assignment> page(Optional<String> customerId, Optional<String> afterId, int limit) {
      pageThreads.add(Thread.currentThread());
      threads.add(Thread.currentThread());
      int read = pages.incrementAndGet();
      if (read == failOn) {
        throw failure;
      }
      if (read == 2 && holdSecondPage != null) {
        secondPageStarted.countDown();
        await(holdSecondPage);
        List<Assignment> page = assignments.page(customerId, afterId, limit);
        secondPageEnded = true;
        return page;
      }
      return assignments.page(customerId, afterId, limit);
    }

    @Override
    public Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests) {
      historyThreads.add(Thread.currentThread());
      return memory.journal().histories(requests);
    }

    @Override
    public List<ChargeLine> lines(String assignmentId) {
      return memory.journal().lines(assignmentId);
    }

    @Override
    public boolean add(Assignment assignment, List<BillingEvent> events) {
      return assignments.add(assignment, events);
    }

    @Override
    public Optional<Assignment> find(String assignmentId) {
      return assignments.find(assignmentId);
    }

    @Override
    public Optional<Assignment> replace(Assignment expected, Assignment updated, List<BillingEvent> events) {
      return assignments.replace(expected, updated, events);
    }

    @Override
    public Optional<Assignment> change(Assignment expected, Assignment updated, Assignment successor,
        List<BillingEvent> events) {
      return assignments.change(expected, updated, successor, events);
    }
  }

  private static PackageBilling engine(Watched stores, int assignments) {
    PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock()).stores(stores.stores()).pageSize(PAGE)
        .batchSize(7).build();
    billing.define(Fixtures.monthly("m"));
    for (int i = 0; i < assignments; i++) {
      billing.assign(Assignment.builder(String.format("a%03d", i)).customerId("c" + i % 3).packageId("m")
          .startDate(JAN_1.plusDays(i % 20)).autoDecrementCredit(true).build());
    }
    return billing;
  }

  @ParameterizedTest
  @EnumSource(RunMode.class)
  void laterPagesAreReadOnOneDaemonThreadThatEndsWithTheRun(RunMode mode) throws InterruptedException {
    Watched stores = new Watched(0);
    RunReport report = engine(stores, 45).run(RUN, mode);

    assertEquals(45, report.summary().assignmentsPlanned());
    assertEquals(45, report.lines().size());
    // 45 assignments in pages of 10: five pages, the last short.
    assertEquals(5, stores.pageThreads.size());
    assertSame(Thread.currentThread(), stores.pageThreads.get(0));
    assertSame(Thread.currentThread(), stores.historyThreads.get(0));
    Thread reader = stores.pageThreads.get(1);
    assertTrue(reader.isDaemon() && reader.getName().startsWith("allotment-run-read-ahead-"), reader.getName());
    assertEquals(List.of(reader, reader, reader, reader), stores.pageThreads.subList(1, 5));
    assertEquals(List.of(reader, reader, reader, reader), stores.historyThreads.subList(1, 5));
    reader.join(60_000);
    assertFalse(reader.isAlive(), "the read-ahead thread ends with the run");
  }

  @Test
  void aRunOfOnePageStartsNoThread() {
    Watched stores = new Watched(0);
    RunReport report = engine(stores, PAGE - 1).run(RUN, RunMode.CHARGE);

    assertEquals(PAGE - 1, report.summary().count(LineStatus.CHARGED));
    assertEquals(Set.of(Thread.currentThread()), stores.threads);
  }

  @Test
  void aFailureReadingAheadReachesTheCallerAsTheStoreThrewItAfterTheEarlierPagesWereCommitted() {
    Watched stores = new Watched(3);
    PackageBilling billing = engine(stores, 45);

    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> billing.run(RUN, RunMode.CHARGE));

    assertSame(stores.failure, thrown);
    assertTrue(stores.pageThreads.get(2).getName().startsWith("allotment-run-read-ahead-"));
    // Pages one and two (assignments a000..a019) were committed before page three was needed.
    for (int i = 0; i < 45; i++) {
      String id = String.format("a%03d", i);
      assertEquals(i < 2 * PAGE ? 1 : 0, stores.lines(id).size(), id);
    }
    // The next run (the store reads again) charges the rest.
    RunReport rerun = billing.run(RUN, RunMode.CHARGE);
    assertEquals(45 - 2 * PAGE, rerun.summary().count(LineStatus.CHARGED));
    assertEquals(2 * PAGE, rerun.summary().count(LineStatus.ALREADY_CHARGED));
  }

  /**
   * The host may close or empty its stores once a run has returned, so a run that fails while its
   * next page is read ahead returns only once that read has ended. The read waits until the failed
   * run waits for it (or, were the run not to wait, until the run had returned and been checked).
   */
  @Test
  @Timeout(60)
  void aRunFailingWhileItReadsAheadReturnsOnlyOnceThatReadHasEnded() throws InterruptedException {
    Watched stores = new Watched(0);
    PackageBilling billing = engine(stores, 45);
    RuntimeException commitFailure = new IllegalStateException("the unit of work failed");
    AtomicBoolean commitFailed = new AtomicBoolean();
    stores.holdSecondPage = new CountDownLatch(1);
    stores.commits = batch -> {
      await(stores.secondPageStarted);
      commitFailed.set(true);
      throw commitFailure;
    };
    Thread runner = Thread.currentThread();
    Thread releaser = new Thread(() -> {
      while (!commitFailed.get() || runner.getState() != Thread.State.WAITING) {
        Thread.onSpinWait();
      }
      stores.holdSecondPage.countDown();
    });
    releaser.setDaemon(true);
    releaser.start();
    try {
      RuntimeException thrown = assertThrows(RuntimeException.class, () -> billing.run(RUN, RunMode.CHARGE));

      assertSame(commitFailure, thrown);
      assertTrue(stores.secondPageEnded, "the run returned while its read-ahead was still reading");
    } finally {
      stores.holdSecondPage.countDown();
    }
    releaser.join();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @ParameterizedTest
  @EnumSource(RunMode.class)
  void withoutReadAheadEveryStoreCallOfARunIsOnTheCallersThread(RunMode mode) {
    Watched stores = new Watched(0);
    Watched withReadAhead = new Watched(0);
    PackageBilling billing = PackageBilling.builder().clock(Fixtures.clock()).stores(stores.stores()).pageSize(PAGE)
        .batchSize(7).readAhead(false).build();
    billing.define(Fixtures.monthly("m"));
    PackageBilling reference = engine(withReadAhead, 0);
    for (int i = 0; i < 45; i++) {
      Assignment a = Assignment.builder(String.format("a%03d", i)).customerId("c" + i % 3).packageId("m")
          .startDate(JAN_1.plusDays(i % 20)).autoDecrementCredit(true).build();
      billing.assign(a);
      reference.assign(a);
    }

    RunReport report = billing.run(RUN, mode);

    assertFalse(billing.runSettings().readAhead());
    assertEquals(5, stores.pageThreads.size());
    assertEquals(Set.of(Thread.currentThread()), stores.threads);
    assertEquals(Set.of(Thread.currentThread()), Set.copyOf(stores.historyThreads));
    assertEquals(reference.run(RUN, mode).lines(), report.lines(), "the same plan either way");
  }
}
