package dev.allotment.cli;

import dev.allotment.core.Assignment;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment resume ID --on DATE}: ends an assignment's suspension. */
@Command(name = "resume", description = "Resume a suspended assignment on a day: a stub up to its next billing day"
    + " is billed like a first period (never free), then billing goes on as before.")
final class ResumeCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "ID", description = "The assignment id.")
  String id;

  @Option(names = "--on", required = true, paramLabel = "DATE", description = "The first day billed again.")
  LocalDate on;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    Assignment resumed = storage.billing().resume(id, on);
    out().println("Assignment " + resumed.id() + " resumes on " + on + ".");
    return 0;
  }
}
