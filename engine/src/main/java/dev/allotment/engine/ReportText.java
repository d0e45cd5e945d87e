package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.CurrencyTotals;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Totals;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Renders reports as text tables for people. Stateless. */
final class ReportText {
  private static final String[] HEADERS = {"Key", "Customer", "DID", "Package", "Kind", "Period", "Due", "Qty",
      "Unit price", "Share", "Retail", "Cost", "Cur", "Grant s", "Auto", "Status"};
  /** Columns holding numbers, right-aligned. */
  private static final boolean[] RIGHT = {false, false, false, false, false, false, false, true, true, true, true,
      true, false, true, false, false};

  private ReportText() {}

  static String render(RunReport report) {
    List<String[]> rows = new ArrayList<>(report.lines().size());
    for (PlannedLine planned : report.lines()) {
      rows.add(row(planned));
    }
    int[] widths = new int[HEADERS.length];
    for (int c = 0; c < HEADERS.length; c++) {
      widths[c] = HEADERS[c].length();
    }
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder text = new StringBuilder();
    text.append(heading(report.summary())).append('\n');
    if (rows.isEmpty()) {
      text.append("(no lines)\n");
    } else {
      appendRow(text, HEADERS, widths);
      StringBuilder rule = new StringBuilder();
      for (int c = 0; c < widths.length; c++) {
        rule.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
      }
      text.append(rule).append('\n');
      for (String[] row : rows) {
        appendRow(text, row, widths);
      }
    }
    text.append('\n').append(footer(report.summary()));
    return text.toString();
  }

  static String summary(RunSummary summary) {
    return heading(summary) + "\n" + footer(summary);
  }

  private static String heading(RunSummary summary) {
    return "Run " + summary.mode() + " " + summary.date() + ", scope " + summary.scope() + ", "
        + summary.assignmentsPlanned() + " assignment" + (summary.assignmentsPlanned() == 1 ? "" : "s");
  }

  private static String footer(RunSummary summary) {
    StringBuilder text = new StringBuilder();
    text.append("Totals of the lines ").append(summary.mode() == RunMode.SIMULATE ? "due" : "charged").append(":\n");
    if (summary.totals().byCurrency().isEmpty()) {
      text.append("  (none)\n");
    }
    List<String[]> rows = new ArrayList<>();
    if (!summary.totals().byCurrency().isEmpty()) {
      rows.add(new String[] {"Cur", "Lines", "Retail", "Cost", "Margin"});
    }
    for (CurrencyTotals totals : summary.totals().byCurrency().values()) {
      rows.add(new String[] {totals.currency().getCurrencyCode(), Long.toString(totals.lines()),
          plain(totals.retail()), plain(totals.cost()), plain(totals.margin())});
    }
    int[] widths = new int[5];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      text.append("  ");
      for (int c = 0; c < row.length; c++) {
        text.append(c == 0 ? "" : "  ").append(c == 0 ? pad(row[c], widths[c]) : leftPad(row[c], widths[c]));
      }
      text.append('\n');
    }
    text.append("Free-minute grants: ").append(summary.grants()).append(" (").append(summary.grantSeconds())
        .append(" s)\n");
    StringJoiner events = new StringJoiner(", ", summary.mode() == RunMode.SIMULATE ? "Events a charge would write: "
        : "Events: ", "\n").setEmptyValue((summary.mode() == RunMode.SIMULATE ? "Events a charge would write"
        : "Events") + ": none\n");
    summary.events().forEach((type, count) -> {
      if (count > 0) {
        events.add(type + " " + count);
      }
    });
    text.append(events);
    StringJoiner counts = new StringJoiner(", ", "Lines: ", "\n");
    for (LineStatus status : LineStatus.values()) {
      counts.add(status + " " + summary.count(status));
    }
    text.append(counts);
    if (!summary.failures().isEmpty()) {
      text.append("FAILED: ").append(summary.failures().size()).append(" assignment")
          .append(summary.failures().size() == 1 ? "" : "s").append(", not billed; the next run tries again:\n");
      for (RunFailure failure : summary.failures()) {
        text.append("  ").append(failure.assignmentId()).append(" (customer ").append(failure.customerId())
            .append(", package ").append(failure.packageId()).append(") ").append(failure.stage()).append(": ")
            .append(failure.error().replace('\n', ' ')).append('\n');
      }
    }
    return text.toString();
  }

  /** Totals on one line, for logs: {@code USD retail 10.00 cost 1.00 margin 9.00; EUR ...}. */
  static String totalsInline(Totals totals) {
    if (totals.byCurrency().isEmpty()) {
      return "none";
    }
    StringJoiner text = new StringJoiner("; ");
    for (CurrencyTotals t : totals.byCurrency().values()) {
      text.add(t.currency().getCurrencyCode() + " retail " + plain(t.retail()) + " cost " + plain(t.cost())
          + " margin " + plain(t.margin()));
    }
    return text.toString();
  }

  private static String[] row(PlannedLine planned) {
    ChargeLine line = planned.line();
    return new String[] {
        line.keyText(),
        line.customerId(),
        line.did().orElse(""),
        line.packageId(),
        line.kind().toString(),
        line.period().start() + ".." + line.period().lastDay(),
        line.dueDate().toString(),
        Integer.toString(line.quantity()),
        plain(line.unitPrice()),
        line.proration().toString(),
        plain(line.retail()),
        plain(line.cost()),
        line.retail().currency().getCurrencyCode(),
        line.grantSeconds() == 0 ? "" : Long.toString(line.grantSeconds()),
        line.autoDecrement() ? "yes" : "no",
        planned.status().toString()};
  }

  private static void appendRow(StringBuilder text, String[] row, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < row.length; c++) {
      line.append(c == 0 ? "" : "  ").append(RIGHT[c] ? leftPad(row[c], widths[c]) : pad(row[c], widths[c]));
    }
    text.append(line.toString().stripTrailing()).append('\n');
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }

  private static String leftPad(String s, int width) {
    return " ".repeat(width - s.length()) + s;
  }

  /** The amount as a plain decimal at the currency's scale (unrounded amounts keep their digits). */
  static String plain(Money money) {
    int digits = money.currency().getDefaultFractionDigits();
    BigDecimal amount = money.amount();
    return (money.isRounded() ? amount.setScale(digits, RoundingMode.UNNECESSARY) : amount).toPlainString();
  }
}
