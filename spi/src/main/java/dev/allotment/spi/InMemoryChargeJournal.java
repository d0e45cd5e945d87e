package dev.allotment.spi;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ChargeJournal} in memory: the embedded default's (see {@link InMemoryStores}), and a
 * {@link SplitJournal} for the split-stores adapter's tests.
 *
 * <p>Thread-safe: each assignment's lines, watermark and pending lines sit behind that
 * assignment's own lock, so a commit is atomic per assignment and commits for different
 * assignments never contend. Lines are also indexed by their reach (the later of due date and
 * period end), so a history read costs its tail, not the assignment's whole history.
 */
public final class InMemoryChargeJournal implements SplitJournal {
  private final Map<String, AssignmentLines> byAssignment = new ConcurrentHashMap<>();

  /** One assignment's journal. Guarded by itself. */
  private static final class AssignmentLines {
    final Map<LineKey, ChargeLine> lines = new LinkedHashMap<>();
    /** The same lines by reach: a line is needed by a history when its reach is on or after the cutoff. */
    final NavigableMap<LocalDate, List<ChargeLine>> byReach = new TreeMap<>();
    final Map<LineKey, ChargeLine> pending = new LinkedHashMap<>();
    LocalDate watermark;

    boolean add(ChargeLine line) {
      if (lines.putIfAbsent(line.key(), line) != null) {
        return false;
      }
      byReach.computeIfAbsent(line.reach(), r -> new ArrayList<>()).add(line);
      return true;
    }
  }

  @Override
  public Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    Map<String, ChargeHistory> histories = new HashMap<>();
    for (HistoryRequest request : requests) {
      AssignmentLines journal = byAssignment.get(request.assignmentId());
      if (journal == null) {
        histories.put(request.assignmentId(), ChargeHistory.EMPTY);
        continue;
      }
      synchronized (journal) {
        Optional<LocalDate> watermark = Optional.ofNullable(journal.watermark);
        Optional<LocalDate> cutoff = request.cutoff(watermark);
        Collection<List<ChargeLine>> reaching = cutoff.isEmpty() ? journal.byReach.values()
            : journal.byReach.tailMap(cutoff.get(), true).values();
        List<ChargeLine> needed = new ArrayList<>();
        reaching.forEach(needed::addAll);
        histories.put(request.assignmentId(), new ChargeHistory(watermark, needed));
      }
    }
    return histories;
  }

  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(watermarks, "watermarks");
    Map<String, List<ChargeLine>> grouped = group(lines);
    for (String assignmentId : watermarks.keySet()) {
      grouped.computeIfAbsent(assignmentId, k -> new ArrayList<>());
    }
    int added = 0;
    for (Map.Entry<String, List<ChargeLine>> group : grouped.entrySet()) {
      AssignmentLines journal = byAssignment.computeIfAbsent(group.getKey(), k -> new AssignmentLines());
      synchronized (journal) {
        for (ChargeLine line : group.getValue()) {
          if (journal.add(line)) {
            added++;
          }
          // Stored now or held before: either way the line is no longer pending.
          journal.pending.remove(line.key());
        }
        LocalDate watermark = watermarks.get(group.getKey());
        if (watermark != null && (journal.watermark == null || watermark.isAfter(journal.watermark))) {
          journal.watermark = watermark;
        }
      }
    }
    return added;
  }

  @Override
  public void intend(List<ChargeLine> lines) {
    Objects.requireNonNull(lines, "lines");
    for (Map.Entry<String, List<ChargeLine>> group : group(lines).entrySet()) {
      AssignmentLines journal = byAssignment.computeIfAbsent(group.getKey(), k -> new AssignmentLines());
      synchronized (journal) {
        for (ChargeLine line : group.getValue()) {
          if (!journal.lines.containsKey(line.key())) {
            journal.pending.putIfAbsent(line.key(), line);
          }
        }
      }
    }
  }

  @Override
  public Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds) {
    Objects.requireNonNull(assignmentIds, "assignmentIds");
    Map<String, List<ChargeLine>> pending = new HashMap<>();
    for (String assignmentId : assignmentIds) {
      AssignmentLines journal = byAssignment.get(assignmentId);
      if (journal != null) {
        synchronized (journal) {
          if (!journal.pending.isEmpty()) {
            pending.put(assignmentId, List.copyOf(journal.pending.values()));
          }
        }
      }
    }
    return pending;
  }

  @Override
  public void abandon(Collection<LineKey> keys) {
    Objects.requireNonNull(keys, "keys");
    for (LineKey key : keys) {
      AssignmentLines journal = byAssignment.get(key.assignmentId());
      if (journal != null) {
        synchronized (journal) {
          journal.pending.remove(key);
        }
      }
    }
  }

  @Override
  public Optional<ChargeLine> find(LineKey key) {
    Objects.requireNonNull(key, "key");
    AssignmentLines journal = byAssignment.get(key.assignmentId());
    if (journal == null) {
      return Optional.empty();
    }
    synchronized (journal) {
      return Optional.ofNullable(journal.lines.get(key));
    }
  }

  @Override
  public List<ChargeLine> lines(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    AssignmentLines journal = byAssignment.get(assignmentId);
    if (journal == null) {
      return List.of();
    }
    List<ChargeLine> copy;
    synchronized (journal) {
      copy = new ArrayList<>(journal.lines.values());
    }
    copy.sort((a, b) -> a.key().compareTo(b.key()));
    return copy;
  }

  private static Map<String, List<ChargeLine>> group(List<ChargeLine> lines) {
    Map<String, List<ChargeLine>> grouped = new LinkedHashMap<>();
    for (ChargeLine line : lines) {
      grouped.computeIfAbsent(Objects.requireNonNull(line, "line").assignmentId(), k -> new ArrayList<>()).add(line);
    }
    return grouped;
  }
}
