package dev.allotment.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CommitPipeline}: batches in flight together, apart when they share an assignment, failures after all ended. */
final class CommitPipelineTest {
  private static final long PATIENCE_SECONDS = 10; // a bound on a latch wait that should end at once

  @Test
  void twoBatchesOfOtherAssignmentsCommitAtOnce() throws InterruptedException {
    CountDownLatch secondStarted = new CountDownLatch(1);
    AtomicBoolean firstSawSecond = new AtomicBoolean();
    try (CommitPipeline pipeline = new CommitPipeline(2)) {
      pipeline.submit(Set.of("a1"), () -> firstSawSecond.set(awaitQuietly(secondStarted)));
      pipeline.awaitSharing(Set.of("a2"));
      pipeline.submit(Set.of("a2"), secondStarted::countDown);
      pipeline.drain();
    }
    assertTrue(firstSawSecond.get(), "the second batch started while the first was committing");
  }

  @Test
  void aBatchSharingAnAssignmentWaitsForTheEarlierOneToEnd() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean passed = new AtomicBoolean();
    try (CommitPipeline pipeline = new CommitPipeline(3)) { // room for more: only sharing holds a batch back
      pipeline.submit(Set.of("a1", "a2"), () -> awaitQuietly(release));
      pipeline.submit(Set.of("a3"), () -> { });
      // The submitting thread of the next batch, a batch of a2, while the first is held.
      Thread next = new Thread(() -> {
        pipeline.awaitSharing(Set.of("a2"));
        passed.set(true);
      });
      next.start();
      while (next.getState() != Thread.State.WAITING && next.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
      assertFalse(passed.get(), "the batch of a2 went on while the batch holding a2 was committing");
      release.countDown();
      next.join();
      assertTrue(passed.get());
    }
  }

  @Test
  void aFailureIsRethrownOnlyOnceEveryBatchInFlightHasEnded() {
    CountDownLatch firstFailing = new CountDownLatch(1);
    AtomicBoolean secondEnded = new AtomicBoolean();
    IllegalStateException storeDown = new IllegalStateException("the store is down");
    CommitPipeline pipeline = new CommitPipeline(2);
    pipeline.submit(Set.of("a1"), () -> {
      firstFailing.countDown();
      throw storeDown;
    });
    pipeline.submit(Set.of("a2"), () -> {
      awaitQuietly(firstFailing);
      secondEnded.set(true);
    });

    IllegalStateException thrown = assertThrows(IllegalStateException.class, pipeline::drain);

    assertSame(storeDown, thrown);
    assertTrue(secondEnded.get(), "the failure came back only after the other batch in flight ended");
    pipeline.close(); // nothing left in flight: closes without throwing again
  }

  @Test
  void aStoreThrowingOneExceptionForEveryCallHasItRethrownOnce() {
    IllegalStateException same = new IllegalStateException("the store is down");
    CountDownLatch bothStarted = new CountDownLatch(2);
    CommitPipeline pipeline = new CommitPipeline(2);
    Runnable failing = () -> {
      bothStarted.countDown();
      awaitQuietly(bothStarted);
      throw same;
    };
    pipeline.submit(Set.of("a1"), failing);
    pipeline.submit(Set.of("a2"), failing);

    assertSame(same, assertThrows(IllegalStateException.class, pipeline::close));
    assertArrayEquals(new Throwable[0], same.getSuppressed(), "an exception never suppresses itself");
  }

  @Test
  void closeWaitsForTheBatchesInFlightAndRethrowsTheirFailure() {
    CountDownLatch release = new CountDownLatch(1);
    List<String> ended = new CopyOnWriteArrayList<>();
    CommitPipeline pipeline = new CommitPipeline(3);
    pipeline.submit(Set.of("a1"), () -> {
      awaitQuietly(release);
      ended.add("a1");
    });
    pipeline.submit(Set.of("a2"), () -> {
      release.countDown();
      throw new IllegalArgumentException("a value the store cannot keep");
    });

    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, pipeline::close);

    assertEquals("a value the store cannot keep", thrown.getMessage());
    assertEquals(List.of("a1"), ended, "close returned once the first batch had ended too");
  }

  @Test
  void withALimitOfOneEachCommitRunsOnTheCallersThreadAsSubmitted() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    try (CommitPipeline pipeline = new CommitPipeline(1)) {
      pipeline.submit(Set.of("a1"), () -> ranOn.set(Thread.currentThread()));
      assertSame(Thread.currentThread(), ranOn.get(), "committed before submit returned, on this thread");
    }
    assertThrows(IllegalArgumentException.class, () -> new CommitPipeline(0));
  }

  private static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
