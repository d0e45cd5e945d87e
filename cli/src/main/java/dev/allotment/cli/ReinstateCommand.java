package dev.allotment.cli;

import dev.allotment.core.Assignment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment reinstate ID}: removes an assignment's end date. */
@Command(name = "reinstate", description = "Remove an assignment's end date; the next run charges again what the end"
    + " had cut.")
final class ReinstateCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "ID", description = "The assignment id.")
  String id;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    Assignment reinstated = storage.billing().reinstate(id);
    out().println("Assignment " + reinstated.id() + " runs on without an end date.");
    return 0;
  }
}
