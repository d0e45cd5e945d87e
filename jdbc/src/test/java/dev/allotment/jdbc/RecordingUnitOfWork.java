package dev.allotment.jdbc;

import dev.allotment.spi.BatchResult;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.UnitOfWork;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * A unit of work that records every batch the one it decorates committed: the batches of a run, in
 * order, so a test can tell whether a crashed run left whole batches only, and how many lines each
 * engine of a race added.
 *
 * <p>Thread-safe.
 */
final class RecordingUnitOfWork implements UnitOfWork {
  /** One committed batch: its line keys, its watermarks, and how many of its lines were new. */
  record Batch(Set<String> keys, Map<String, LocalDate> watermarks, int linesAdded) {}

  private final UnitOfWork delegate;
  private final IntConsumer afterCommit;
  private final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());

  /** @param afterCommit told the number of lines newly stored after each committed batch */
  RecordingUnitOfWork(UnitOfWork delegate, IntConsumer afterCommit) {
    this.delegate = delegate;
    this.afterCommit = afterCommit;
  }

  RecordingUnitOfWork(UnitOfWork delegate) {
    this(delegate, added -> { });
  }

  /** The committed batches so far, in order. */
  List<Batch> batches() {
    synchronized (batches) {
      return List.copyOf(batches);
    }
  }

  /** Lines the committed batches added, all together. */
  int linesAdded() {
    return batches().stream().mapToInt(Batch::linesAdded).sum();
  }

  @Override
  public BatchResult commit(ChargeBatch batch) {
    BatchResult result = delegate.commit(batch);
    if (result.isCommitted()) {
      Set<String> keys = new LinkedHashSet<>();
      batch.lines().forEach(l -> keys.add(l.key().toString()));
      batches.add(new Batch(Collections.unmodifiableSet(keys),
          Collections.unmodifiableMap(new TreeMap<>(batch.watermarks())), result.linesAdded()));
      afterCommit.accept(result.linesAdded());
    }
    return result;
  }
}
