package dev.allotment.cli;

import dev.allotment.core.Assignment;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment unassign ID --end DATE}: ends an assignment, or moves its end date. */
@Command(name = "unassign", description = "End an assignment on a date (inclusive), or move its end date. Refused"
    + " before start + the package's minimum days. The next run credits charged days past the end (ADJUSTMENT lines).")
final class UnassignCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "ID", description = "The assignment id.")
  String id;

  @Option(names = "--end", required = true, paramLabel = "DATE", description = "The last billed day.")
  LocalDate end;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    Assignment ended = storage.billing().unassign(id, end);
    out().println("Assignment " + ended.id() + " now ends on " + ended.endDate().orElseThrow()
        + "; the next run adjusts any charged period past it.");
    return 0;
  }
}
