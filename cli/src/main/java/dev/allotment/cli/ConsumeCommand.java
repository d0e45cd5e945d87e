package dev.allotment.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import dev.allotment.core.Consumption;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allotment consume CDRS.csv}: what a switch reports, call by call, against the customers'
 * free minutes; for each call the seconds covered and the seconds left for the host to rate. The
 * calls go in file order, in batches ({@code consumeAll}).
 */
@Command(name = "consume", description = "Consume a CSV file of calls against the customers' free minutes and show,"
    + " per call, the seconds covered and not covered, then a summary. The whole file is checked first: a bad row"
    + " consumes nothing. A call consumed before (same id) returns its first result and consumes nothing again.")
final class ConsumeCommand extends DatabaseCommand {
  /** Standard output stays open after the rows. */
  private static final CsvMapper CSV = CsvMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();

  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "CDRS.csv", description = "Columns id,customer,did,number,start,duration (did optional;"
      + " start e.g. 2026-06-03T09:15:00Z, duration in seconds).")
  Path file;

  @Option(names = "--summary", description = "Only the summary, no line per call.")
  boolean summaryOnly;

  @Option(names = "--csv", description = "One CSV row per call (the input's columns and rounded,covered,uncovered),"
      + " no summary: for further processing.")
  boolean csv;

  /** Calls per {@code consumeAll}: one transaction each on a database. */
  private static final int BATCH = 500;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) throws IOException {
    List<CdrFile.Call> calls = CdrFile.read(root.env.workingDirectory().resolve(file), file, root.zone());
    PackageBilling billing = storage.billing();
    // A call id consumed before for another call would stop the file half-way: refuse the file first.
    List<Optional<CliException>> conflicts;
    try (Progress progress = Progress.start(root, "Checking calls", "calls", calls.size())) {
      conflicts = ByCustomer.map(calls, progress, call -> billing.consumption(call.usage().usageId())
          .filter(earlier -> !earlier.usage().equals(call.usage()))
          .map(earlier -> CliException.input(file + " line " + call.line() + ": call id '" + call.usage().usageId()
              + "' was consumed before for another call (" + describe(earlier.usage()) + ")")));
    }
    for (Optional<CliException> conflict : conflicts) {
      if (conflict.isPresent()) {
        throw conflict.get();
      }
    }
    List<Consumption> results = new ArrayList<>(calls.size());
    try (Progress progress = Progress.start(root, "Consuming calls", "calls", calls.size())) {
      for (List<UsageRecord> batch : batches(calls)) {
        results.addAll(billing.freeMinutes().consumeAll(batch));
        progress.advance(batch.size());
      }
    }
    if (csv) {
      printCsv(results);
    } else {
      if (!summaryOnly) {
        printTable(calls, results);
        out().println();
      }
      printSummary(results);
    }
    return 0;
  }

  /**
   * The calls in file order, cut into batches of at most {@value #BATCH} (one transaction each on
   * a database); a call id met again starts a new batch, where it is the replay it is.
   */
  private static List<List<UsageRecord>> batches(List<CdrFile.Call> calls) {
    List<List<UsageRecord>> batches = new ArrayList<>();
    List<UsageRecord> batch = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (CdrFile.Call call : calls) {
      if (batch.size() == BATCH || !ids.add(call.usage().usageId())) {
        batches.add(batch);
        batch = new ArrayList<>();
        ids.clear();
        ids.add(call.usage().usageId());
      }
      batch.add(call.usage());
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  private static String describe(UsageRecord usage) {
    return "customer " + usage.customerId() + usage.did().map(d -> " on " + d).orElse("") + " to " + usage.number()
        + " at " + usage.start() + " for " + usage.durationSeconds() + " s";
  }

  private void printTable(List<CdrFile.Call> calls, List<Consumption> results) {
    Table table = new Table(">Line", "Call", "Customer", "DID", "Number", "Start", ">Seconds", ">Rounded", ">Covered",
        ">Uncovered");
    for (int i = 0; i < calls.size(); i++) {
      UsageRecord usage = calls.get(i).usage();
      Consumption result = results.get(i);
      table.add(calls.get(i).line(), usage.usageId(), usage.customerId(), usage.did().orElse("-"), usage.number(),
          usage.start(), usage.durationSeconds(), result.roundedSeconds(), result.coveredSeconds(),
          result.uncoveredSeconds());
    }
    table.print(out());
  }

  private void printSummary(List<Consumption> results) {
    long full = 0;
    long partly = 0;
    long rounded = 0;
    long covered = 0;
    for (Consumption result : results) {
      rounded += result.roundedSeconds();
      covered += result.coveredSeconds();
      if (result.coveredSeconds() > 0) {
        if (result.uncoveredSeconds() == 0) {
          full++;
        } else {
          partly++;
        }
      }
    }
    long none = results.size() - full - partly;
    out().println("Calls: " + results.size() + " (" + full + " fully covered, " + partly + " partly covered, " + none
        + " not covered)");
    out().println("Seconds: " + rounded + " rounded, " + covered + " covered by free minutes, " + (rounded - covered)
        + " not covered (to rate)");
  }

  private void printCsv(List<Consumption> results) throws IOException {
    try (SequenceWriter rows = CSV.writer().writeValues(out())) {
      rows.write(new String[] {"id", "customer", "did", "number", "start", "duration", "rounded", "covered",
          "uncovered"});
      for (Consumption result : results) {
        UsageRecord usage = result.usage();
        rows.write(new String[] {usage.usageId(), usage.customerId(), usage.did().orElse(""), usage.number(),
            usage.start().toString(), Long.toString(usage.durationSeconds()), Long.toString(result.roundedSeconds()),
            Long.toString(result.coveredSeconds()), Long.toString(result.uncoveredSeconds())});
      }
    }
  }
}
