package dev.allotment.engine;

import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Totals;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report of a run: its {@link RunSummary} and every line, assignment by assignment in store
 * order, each assignment's lines in commit order, with its status (DUE or ALREADY_CHARGED in a
 * simulation; CHARGED, ALREADY_CHARGED or SKIPPED_NO_CREDIT in a charge run; a simulation under
 * {@link CreditPolicy#ONLY_IF_COVERED} predicts SKIPPED_NO_CREDIT too).
 *
 * <p>A simulation and the charge that follows it (same stores, same date) report the same lines
 * in the same order, with DUE in place of CHARGED, and the same totals.
 *
 * <p>Renderings: {@link #toText()} for people, {@link #toJson()} for machines (parsed back by
 * {@link #parseJson(String)}).
 *
 * <p>Immutable and thread-safe.
 */
public final class RunReport {
  private final RunSummary summary;
  private final List<PlannedLine> lines;

  RunReport(RunSummary summary, List<PlannedLine> lines) {
    this.summary = Objects.requireNonNull(summary, "summary");
    this.lines = List.copyOf(lines);
  }

  /**
   * Parses the {@link #toJson()} form.
   *
   * @param json a report as {@link #toJson()} wrote it
   * @return the report
   * @throws IllegalArgumentException naming the field when the JSON is not a report
   */
  public static RunReport parseJson(String json) {
    return ReportJson.parse(json);
  }

  /** {@return the request, counts and totals of the run} */
  public RunSummary summary() {
    return summary;
  }

  /** {@return every line, with its status} */
  public List<PlannedLine> lines() {
    return lines;
  }

  /**
   * The lines with {@code status}, in report order.
   *
   * @param status the status
   * @return the lines with that status
   */
  public List<PlannedLine> lines(LineStatus status) {
    Objects.requireNonNull(status, "status");
    return lines.stream().filter(l -> l.status() == status).toList();
  }

  /** {@return the request that was run} */
  public RunRequest request() {
    return summary.request();
  }

  /** {@return the run date} */
  public LocalDate date() {
    return summary.date();
  }

  /** {@return SIMULATE or CHARGE} */
  public RunMode mode() {
    return summary.mode();
  }

  /** {@return the scope in words, see {@link RunRequest#scope()}} */
  public String scope() {
    return summary.scope();
  }

  /** {@return the number of lines per status; every status is present} */
  public Map<LineStatus, Long> counts() {
    return summary.counts();
  }

  /** {@return the totals per currency (retail, cost, margin) of the lines this run charges} */
  public Totals totals() {
    return summary.totals();
  }

  /** {@return a text table for people: one row per line, then totals per currency and counts per status} */
  public String toText() {
    return ReportText.render(this);
  }

  /**
   * JSON for machines: money as plain decimal strings beside the line's currency, dates as ISO
   * strings.
   *
   * @return the report as JSON
   */
  public String toJson() {
    return ReportJson.write(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunReport r && summary.equals(r.summary) && lines.equals(r.lines);
  }

  @Override
  public int hashCode() {
    return 31 * summary.hashCode() + lines.hashCode();
  }

  @Override
  public String toString() {
    return "RunReport[" + summary + ", " + lines.size() + " lines]";
  }
}
