package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.engine.PlanChange;
import java.time.LocalDate;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code allotment change ID (--on DATE | --next-period-after DATE) [--package P] [--quantity N] [--minutes N]}: a plan change. */
@Command(name = "change", description = "Upgrade, downgrade or change the quantity of an assignment: it ends the day"
    + " before the change and a successor (ID~DATE) starts with the new package and/or quantity. --on prorates"
    + " (the next run credits the unused part); --next-period-after starts at the next period, unprorated.")
final class ChangeCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Parameters(paramLabel = "ID", description = "The assignment id.")
  String id;

  @ArgGroup(multiplicity = "1")
  When when;

  /** Exactly one of the two timings. */
  static final class When {
    @Option(names = "--on", paramLabel = "DATE", description = "Effective on this day (IMMEDIATE).")
    LocalDate on;

    @Option(names = "--next-period-after", paramLabel = "DATE",
        description = "Effective at the start of the first period beginning after this day (NEXT_PERIOD).")
    LocalDate nextPeriodAfter;
  }

  @Option(names = "--package", paramLabel = "PACKAGE", description = "The new package (same currency).")
  String packageId;

  @Option(names = "--quantity", paramLabel = "N", description = "The new quantity.")
  Integer quantity;

  @Option(names = "--minutes", paramLabel = "N",
      description = "Free minutes per period and unit on the new package (default: the assignment's).")
  Integer minutes;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    PlanChange change = when.on != null ? PlanChange.immediate(when.on) : PlanChange.nextPeriod(when.nextPeriodAfter);
    if (packageId != null) {
      change = change.toPackage(packageId);
    }
    if (quantity != null) {
      change = change.toQuantity(quantity);
    }
    if (minutes != null) {
      change = change.toMinutes(minutes);
    }
    Assignment successor = storage.billing().change(id, change);
    out().println("Assignment " + id + " ends on " + successor.startDate().minusDays(1) + "; " + successor.id()
        + " (" + successor.packageId() + " x" + successor.quantity() + ") starts on " + successor.startDate()
        + ". The next run bills both.");
    return 0;
  }
}
