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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ChargeJournal} in memory: the embedded default.
 *
 * <p>Thread-safe: each assignment's lines and watermark sit behind that assignment's own lock, so
 * a commit is atomic per assignment and commits for different assignments never contend.
 */
public final class InMemoryChargeJournal implements ChargeJournal {
  private final Map<String, AssignmentLines> byAssignment = new ConcurrentHashMap<>();

  /** One assignment's journal. Guarded by itself. */
  private static final class AssignmentLines {
    final Map<LineKey, ChargeLine> lines = new LinkedHashMap<>();
    LocalDate watermark;
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
        List<ChargeLine> needed = new ArrayList<>();
        for (ChargeLine line : journal.lines.values()) {
          if (HistoryRequest.needed(line, cutoff)) {
            needed.add(line);
          }
        }
        histories.put(request.assignmentId(), new ChargeHistory(watermark, needed));
      }
    }
    return histories;
  }

  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(watermarks, "watermarks");
    Map<String, List<ChargeLine>> grouped = new LinkedHashMap<>();
    for (ChargeLine line : lines) {
      grouped.computeIfAbsent(Objects.requireNonNull(line, "line").assignmentId(), k -> new ArrayList<>()).add(line);
    }
    for (String assignmentId : watermarks.keySet()) {
      grouped.computeIfAbsent(assignmentId, k -> new ArrayList<>());
    }
    int added = 0;
    for (Map.Entry<String, List<ChargeLine>> group : grouped.entrySet()) {
      AssignmentLines journal = byAssignment.computeIfAbsent(group.getKey(), k -> new AssignmentLines());
      synchronized (journal) {
        for (ChargeLine line : group.getValue()) {
          if (journal.lines.putIfAbsent(line.key(), line) == null) {
            added++;
          }
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
}
