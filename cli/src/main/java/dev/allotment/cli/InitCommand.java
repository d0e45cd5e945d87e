package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.spi.CreditEntry;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code allotment init [--sample]}: creates and migrates the database; with {@code --sample} also
 * loads the sample ({@link SampleData}) and writes its catalog and its calls beside the data.
 */
@Command(name = "init", description = "Create and migrate the database (every command does so on first use). With"
    + " --sample, load a realistic sample (10 packages, 200 customers, their assignments, credit and spend) and write"
    + " its catalog and a CDR file of 10,000 calls. Loading the sample again changes nothing.")
final class InitCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--sample", description = "Load the sample.")
  boolean sample;

  @Option(names = "--files", paramLabel = "DIR", description = "Where to write sample-catalog.json and sample-cdrs.csv;"
      + " default the data directory (--data).")
  Path files;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) throws IOException {
    out().println("Database ready: " + storage.where() + " (schema version " + storage.stores().schemaVersion() + ")");
    if (!sample) {
      return 0;
    }
    SampleData.Sample data = SampleData.generate();
    // Nothing is written while any sample assignment id is held with other terms: refuse first.
    for (Assignment assignment : data.assignments()) {
      Optional<Assignment> held = storage.stores().assignments().find(assignment.id());
      if (held.isPresent() && !held.get().sameTermsAs(assignment)) {
        throw CliException.input("cannot load the sample: assignment '" + assignment.id() + "' is held with other"
            + " terms (" + storage.where() + ")");
      }
    }
    // Defining a held package again would only move its definition time: define what differs.
    if (data.packages().values().stream().anyMatch(p -> !storage.billing().findPackage(p.id()).equals(Optional.of(p)))) {
      storage.billing().importCatalog(data.catalogJson());
    }
    long added = 0;
    try (Progress progress = Progress.start(root, "Loading the sample", "assignments", data.assignments().size())) {
      for (Assignment assignment : data.assignments()) {
        if (storage.billing().assign(assignment)) {
          added++;
        }
        progress.advance(1);
      }
    }
    for (CreditEntry credit : data.credits()) {
      storage.stores().creditLedger().credit(credit);
    }
    for (SampleData.Spend spend : data.spend()) {
      storage.stores().spend().record(spend.key(), spend.customerId(), spend.date(), spend.amount());
    }
    Path directory = files != null ? root.env.workingDirectory().resolve(files) : Storage.dataDirectory(root);
    Files.createDirectories(directory);
    Path catalog = directory.resolve("sample-catalog.json");
    Files.writeString(catalog, data.catalogJson(), StandardCharsets.UTF_8);
    Path calls = directory.resolve("sample-cdrs.csv");
    try (Writer writer = Files.newBufferedWriter(calls, StandardCharsets.UTF_8)) {
      SampleCalls.write(writer, data);
    }
    long prepaid = data.customers().stream().filter(SampleData.Customer::prepaid).count();
    out().println("Sample: " + data.packages().size() + " packages, " + data.customers().size() + " customers ("
        + prepaid + " prepaid, with credit), " + data.assignments().size() + " assignments ("
        + (added == data.assignments().size() ? "all" : added + "") + " new), spend of "
        + data.spend().stream().map(SampleData.Spend::customerId).distinct().count() + " minimum-spend customers");
    out().println("Wrote " + root.env.workingDirectory().relativize(catalog) + " and "
        + root.env.workingDirectory().relativize(calls) + " (" + SampleCalls.CALLS + " calls)");
    out().println("Next: allotment run --date " + SampleData.SUGGESTED_RUN_DATE + " --simulate");
    return 0;
  }
}
