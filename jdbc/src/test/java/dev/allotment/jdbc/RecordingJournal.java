package dev.allotment.jdbc;

import dev.allotment.core.ChargeLine;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.ForwardingChargeJournal;
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
 * A journal that records every successful commit of the journal it decorates: the batches of a run,
 * in order, so a test can tell whether a crashed run left whole batches only.
 *
 * <p>Thread-safe.
 */
final class RecordingJournal extends ForwardingChargeJournal {
  /** One journal commit: its line keys and watermarks. */
  record Batch(Set<String> keys, Map<String, LocalDate> watermarks) {}

  private final IntConsumer afterCommit;
  private final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());

  /** @param afterCommit told the number of lines newly stored after each commit */
  RecordingJournal(ChargeJournal delegate, IntConsumer afterCommit) {
    super(delegate);
    this.afterCommit = afterCommit;
  }

  RecordingJournal(ChargeJournal delegate) {
    this(delegate, added -> { });
  }

  /** The commits so far, in order. */
  List<Batch> batches() {
    synchronized (batches) {
      return List.copyOf(batches);
    }
  }

  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    int added = delegate.commit(lines, watermarks);
    Set<String> keys = new LinkedHashSet<>();
    lines.forEach(l -> keys.add(l.key().toString()));
    batches.add(new Batch(Collections.unmodifiableSet(keys), Collections.unmodifiableMap(new TreeMap<>(watermarks))));
    afterCommit.accept(added);
    return added;
  }
}
