package dev.allotment.engine;

import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Totals;
import dev.allotment.spi.EventType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run did, without its lines: the request, how many assignments it planned, how many lines
 * ended in each status, the totals per currency of the lines it charges (DUE in a simulation,
 * CHARGED in a charge run), and the free-minute grants among them.
 *
 * <p>A simulation and the charge that follows it have equal summaries apart from the mode and
 * DUE counted as CHARGED (and, should the store refuse to write an assignment's lines, that
 * assignment's failure and lines). The {@link #failures() failures} name the assignments the run
 * could not bill.
 *
 * <p>Immutable and thread-safe.
 */
public final class RunSummary {
  private final RunRequest request;
  private final long assignmentsPlanned;
  private final Map<LineStatus, Long> counts;
  private final Totals totals;
  private final long grants;
  private final long grantSeconds;
  private final List<RunFailure> failures;
  private final Map<EventType, Long> events;

  RunSummary(RunRequest request, long assignmentsPlanned, Map<LineStatus, Long> counts, Totals totals, long grants,
      long grantSeconds, List<RunFailure> failures, Map<EventType, Long> events) {
    this.request = Objects.requireNonNull(request, "request");
    if (assignmentsPlanned < 0 || grants < 0 || grantSeconds < 0) {
      throw new IllegalArgumentException("counts must be >= 0, were assignments " + assignmentsPlanned + ", grants "
          + grants + ", grant seconds " + grantSeconds);
    }
    this.assignmentsPlanned = assignmentsPlanned;
    Map<LineStatus, Long> all = new EnumMap<>(LineStatus.class);
    for (LineStatus status : LineStatus.values()) {
      long count = counts.getOrDefault(status, 0L);
      if (count < 0) {
        throw new IllegalArgumentException("count of " + status + " must be >= 0, was " + count);
      }
      all.put(status, count);
    }
    this.counts = Collections.unmodifiableMap(all);
    this.totals = Objects.requireNonNull(totals, "totals");
    this.grants = grants;
    this.grantSeconds = grantSeconds;
    this.failures = List.copyOf(failures);
    Map<EventType, Long> allEvents = new EnumMap<>(EventType.class);
    for (EventType type : EventType.values()) {
      long count = events.getOrDefault(type, 0L);
      if (count < 0) {
        throw new IllegalArgumentException("count of " + type + " events must be >= 0, was " + count);
      }
      allEvents.put(type, count);
    }
    this.events = Collections.unmodifiableMap(allEvents);
  }

  /**
   * The summaries of several runs as one (a fleet engine's partitions): counts, totals, grants,
   * failures and events added up, under {@code request}.
   */
  static RunSummary sum(RunRequest request, List<RunSummary> parts) {
    long assignments = 0;
    Map<LineStatus, Long> counts = new EnumMap<>(LineStatus.class);
    Totals totals = Totals.builder().build();
    long grants = 0;
    long grantSeconds = 0;
    List<RunFailure> failures = new ArrayList<>();
    Map<EventType, Long> events = new EnumMap<>(EventType.class);
    for (RunSummary part : parts) {
      assignments += part.assignmentsPlanned;
      part.counts.forEach((status, count) -> counts.merge(status, count, Long::sum));
      totals = totals.plus(part.totals);
      grants += part.grants;
      grantSeconds += part.grantSeconds;
      failures.addAll(part.failures);
      part.events.forEach((type, count) -> events.merge(type, count, Long::sum));
    }
    return new RunSummary(request, assignments, counts, totals, grants, grantSeconds, failures, events);
  }

  /** {@return the request that was run} */
  public RunRequest request() {
    return request;
  }

  /** {@return the run date} */
  public LocalDate date() {
    return request.date();
  }

  /** {@return SIMULATE or CHARGE} */
  public RunMode mode() {
    return request.mode();
  }

  /** {@return the scope in words, see {@link RunRequest#scope()}} */
  public String scope() {
    return request.scope();
  }

  /** {@return how many assignments in scope were planned} */
  public long assignmentsPlanned() {
    return assignmentsPlanned;
  }

  /** {@return the number of lines per status; every status is present} */
  public Map<LineStatus, Long> counts() {
    return counts;
  }

  /**
   * Lines with {@code status}.
   *
   * @param status the status
   * @return how many lines have it
   */
  public long count(LineStatus status) {
    return counts.get(Objects.requireNonNull(status, "status"));
  }

  /** {@return how many lines this run charges: DUE in a simulation, CHARGED in a charge run} */
  public long charged() {
    return count(request.mode() == RunMode.SIMULATE ? LineStatus.DUE : LineStatus.CHARGED);
  }

  /** {@return the totals per currency (retail, cost, margin) of the lines this run charges} */
  public Totals totals() {
    return totals;
  }

  /** {@return how many FREE_MINUTES lines are among the lines this run charges} */
  public long grants() {
    return grants;
  }

  /** {@return the seconds those grants give} */
  public long grantSeconds() {
    return grantSeconds;
  }

  /**
   * The assignments this run could not bill, in the order met, each with its error: their planning
   * failed, or the store refused to write their lines. Every other assignment was billed; the next
   * run tries these again. Empty when every assignment went through.
   *
   * @return the failures, empty when none
   */
  public List<RunFailure> failures() {
    return failures;
  }

  /**
   * The events the run's units of work carry, by type (every type present): for a CHARGE those it
   * wrote with its effects, for a SIMULATE those the CHARGE would write (it writes none). An event
   * whose id the outbox holds already (a {@code CHARGE_UPCOMING} announced by an earlier run, say)
   * is counted but not written again. {@code CREDIT_LOW} events, which the stores derive from the
   * balances they hold when they commit, are not counted. All zero when the engine writes no events.
   *
   * @return the counts by type
   */
  public Map<EventType, Long> events() {
    return events;
  }

  /** {@return the summary as text, as at the foot of {@link RunReport#toText()}} */
  public String toText() {
    return ReportText.summary(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunSummary s && request.equals(s.request) && assignmentsPlanned == s.assignmentsPlanned
        && counts.equals(s.counts) && totals.equals(s.totals) && grants == s.grants && grantSeconds == s.grantSeconds
        && failures.equals(s.failures) && events.equals(s.events);
  }

  @Override
  public int hashCode() {
    return Objects.hash(request, assignmentsPlanned, counts, totals, grants, grantSeconds, failures);
  }

  @Override
  public String toString() {
    return "RunSummary[" + request.mode() + " " + request.date() + " " + request.scope() + ": " + assignmentsPlanned
        + " assignments, " + counts + ", totals " + totals + ", " + grants + " grants of " + grantSeconds + " s"
        + (failures.isEmpty() ? "" : ", " + failures.size() + " failed") + "]";
  }

  /**
   * Counts lines into a summary as a run emits them (or a report is read back): every line by its
   * status, and the lines the run charges (DUE in a simulation, CHARGED otherwise) into the totals
   * and, for FREE_MINUTES lines, the grants. Not thread-safe.
   */
  static final class Tally {
    private final LineStatus charged;
    private final Map<LineStatus, Long> counts = new EnumMap<>(LineStatus.class);
    private final Totals.Builder totals = Totals.builder();
    private long grants;
    private long grantSeconds;
    private final List<RunFailure> failures = new ArrayList<>();
    private final boolean eventsOn;
    private final Map<EventType, Long> events = new EnumMap<>(EventType.class);

    Tally(RunMode mode, boolean eventsOn) {
      this.charged = mode == RunMode.SIMULATE ? LineStatus.DUE : LineStatus.CHARGED;
      this.eventsOn = eventsOn;
    }

    void add(PlannedLine line) {
      counts.merge(line.status(), 1L, Long::sum);
      if (line.status() == charged) {
        totals.add(line.line());
        if (line.line().kind() == LineKind.FREE_MINUTES) {
          grants++;
          grantSeconds += line.line().grantSeconds();
        }
        if (eventsOn) {
          // The events PageCommitter writes with a line: its own, its grant's, its posting's.
          events.merge(EventType.LINE_CHARGED, 1L, Long::sum);
          if (line.line().kind() == LineKind.FREE_MINUTES) {
            events.merge(EventType.GRANT_ISSUED, 1L, Long::sum);
          }
          if (line.line().autoDecrement() && !line.line().retail().isZero()) {
            events.merge(EventType.CREDIT_POSTED, 1L, Long::sum);
          }
        }
      }
    }

    /** Counts events the lines do not show: announcements, or the counts a report states. */
    void addEvents(EventType type, long count) {
      if (eventsOn && count > 0) {
        events.merge(type, count, Long::sum);
      }
    }

    void addFailure(RunFailure failure) {
      failures.add(failure);
    }

    /** {@return the failures so far} */
    List<RunFailure> failures() {
      return List.copyOf(failures);
    }

    RunSummary summary(RunRequest request, long assignmentsPlanned) {
      return new RunSummary(request, assignmentsPlanned, counts, totals.build(), grants, grantSeconds, failures, events);
    }
  }
}
