package dev.allotment.cli;

import dev.allotment.core.Assignment;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment suspend ID --from DATE}: puts an assignment on hold. */
@Command(name = "suspend", description = "Put an assignment on hold from a day until resumed: suspended days are"
    + " neither billed nor granted; the period holding the day is cut there like an end date.")
final class SuspendCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "ID", description = "The assignment id.")
  String id;

  @Option(names = "--from", required = true, paramLabel = "DATE", description = "The first suspended day.")
  LocalDate from;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    Assignment suspended = storage.billing().suspend(id, from);
    out().println("Assignment " + suspended.id() + " is suspended from " + from
        + "; the next run credits any charged days from then on.");
    return 0;
  }
}
