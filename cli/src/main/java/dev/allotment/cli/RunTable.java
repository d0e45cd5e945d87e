package dev.allotment.cli;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineStatus;
import dev.allotment.core.PlannedLine;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import java.io.PrintStream;

/**
 * A run report for people: the lines this run charges (or would), one row each, then the engine's
 * summary (totals per currency, grants, lines per status). Lines charged before are counted, and
 * listed only on request: the answer to a second charge is "nothing new", not a page of old lines.
 */
final class RunTable {
  private RunTable() {}

  static void print(RunReport report, boolean all, PrintStream out) {
    Table table = new Table("Customer", "DID", "Package", "Kind", "Period", "Due", ">Qty", ">Unit", ">Share",
        ">Retail", ">Cost", "Cur", ">Free min", "Credit", "Status");
    long before = 0;
    for (PlannedLine planned : report.lines()) {
      if (planned.status() == LineStatus.ALREADY_CHARGED) {
        before++;
        if (!all) {
          continue;
        }
      }
      ChargeLine line = planned.line();
      table.add(line.customerId(), line.did().orElse("-"), line.packageId(), line.kind(),
          line.period().start() + ".." + line.period().lastDay(), line.dueDate(), line.quantity(),
          Format.money(line.unitPrice()), line.proration(), Format.money(line.retail()), Format.money(line.cost()),
          line.retail().currency().getCurrencyCode(), line.grantSeconds() == 0 ? "-" : Format.minutes(line.grantSeconds()),
          line.autoDecrement() ? "debit" : "-", planned.status());
    }
    String verb = report.mode() == RunMode.SIMULATE ? "would charge" : "charged";
    if (table.isEmpty()) {
      out.println("Nothing new: this run " + verb + " no line; every line due on or before " + report.date()
          + " was charged before.");
    } else {
      table.print(out);
    }
    if (before > 0 && !all) {
      out.println("(" + before + " line" + (before == 1 ? "" : "s") + " charged before this run not listed; --all"
          + " lists them)");
    }
    out.println();
    out.print(report.summary().toText());
  }
}
