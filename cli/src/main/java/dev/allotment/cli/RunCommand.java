package dev.allotment.cli;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.FleetRun;
import dev.allotment.engine.FleetSummary;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.engine.RunRequest;
import java.time.LocalDate;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allotment run}: the source system's "Run Package" dialog. Pick a date, optionally a
 * customer, simulate or charge; read the report as a table with totals, or as JSON.
 */
@Command(name = "run", description = "Run packages for a date: charge every line due on or before it that was not"
    + " charged yet (missed dates are caught up), or --simulate to see the same report without writing anything."
    + " A second charge for the same date charges nothing new.")
final class RunCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--date", paramLabel = "DATE", description = "The run date; default today (in --zone).")
  LocalDate date;

  @Option(names = "--customer", paramLabel = "CUSTOMER", description = "Only this customer's packages.")
  String customer;

  @Option(names = "--simulate", description = "Report what a charge would do; write nothing.")
  boolean simulate;

  @Option(names = "--json", description = "The whole report as JSON (every line, including those charged before).")
  boolean json;

  @Option(names = "--all", description = "List the lines charged before this run too (the table lists new ones).")
  boolean all;

  @Option(names = "--partition", paramLabel = "I/N", description = "Only partition I of N (I from 0 to N-1), split by"
      + " customer: N hosts, each running its own partition, share one run without overlap.")
  String partition;

  @Option(names = "--fleet", paramLabel = "NAME", description = "Charge as one engine, named NAME, of a fleet run"
      + " shared through the database's leases (16 partitions): run it on several hosts at once; each charges the"
      + " partitions it claims, a dead one's are taken over when its lease expires. Says whether the run is done.")
  String fleet;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    LocalDate day = date != null ? date : storage.billing().clock().today();
    if (fleet != null) {
      return runFleet(storage, day);
    }
    RunRequest request = RunRequest.of(day, simulate ? RunMode.SIMULATE : RunMode.CHARGE);
    if (partition != null) {
      request = inPartition(request, partition);
    }
    if (customer != null) {
      storage.requireCustomer(customer);
      request = request.forCustomer(customer);
    }
    // Counting costs a read of the assignments: only worth it when a bar may be drawn.
    long total = root.progressAllowed() ? storage.countAssignments(Optional.ofNullable(customer)) : 0;
    RunReport report;
    try (Progress progress = Progress.start(root, simulate ? "Simulating" : "Charging", "assignments", total)) {
      CountingAssignments.Listening reads = storage.countAssignmentsRead(progress::advance);
      try {
        report = storage.billing().run(request);
      } finally {
        reads.close();
      }
    }
    if (json) {
      out().println(report.toJson());
    } else {
      RunTable.print(report, all, out());
    }
    return 0;
  }

  /** One engine's share of a fleet run, and whether the run is done. */
  private int runFleet(Storage storage, LocalDate day) {
    if (simulate || customer != null || partition != null || json || all) {
      throw CliException.input("--fleet charges its claimed partitions whole: it takes none of --simulate,"
          + " --customer, --partition, --json and --all");
    }
    FleetRun run;
    try {
      run = FleetRun.of(day, fleet);
    } catch (IllegalArgumentException e) {
      throw CliException.input("--fleet: " + e.getMessage());
    }
    FleetSummary summary = storage.billing().runFleet(run);
    out().println("Fleet run " + run.runId() + " as " + fleet + ": " + summary.partitionsRun()
        + " partitions charged here" + (summary.partitionsLost() == 0 ? "" : ", " + summary.partitionsLost()
        + " lost to another engine") + ", " + summary.charged().count(LineStatus.CHARGED) + " lines charged here.");
    out().println(summary.done() ? "The run is done: every partition is charged."
        : "Not done yet: " + summary.status().leased() + " partitions are held by other engines; run again after"
            + " their leases (" + FleetRun.DEFAULT_LEASE_DURATION.toMinutes() + " min) if they do not finish.");
    return 0;
  }

  private static RunRequest inPartition(RunRequest request, String text) {
    String[] parts = text.strip().split("/", -1);
    try {
      if (parts.length == 2) {
        return request.inPartition(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
      }
    } catch (IllegalArgumentException e) {
      // Not numbers, or out of range: the refusal below says what is expected.
    }
    throw CliException.input("--partition: '" + text + "' must be I/N with 0 <= I < N, e.g. 0/4 .. 3/4");
  }
}
