package dev.allotment.cli;

import dev.allotment.core.ChargeLine;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code allotment upcoming --customer C --days N}: what falls due soon (the source's notification days). */
@Command(name = "upcoming", description = "The customer's lines falling due in the next days (a simulation: nothing is"
    + " written). Minimum-spend lines are estimates from the spend recorded so far.")
final class UpcomingCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--customer", required = true, paramLabel = "CUSTOMER", description = "The customer.")
  String customer;

  @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "How many days, from --from;"
      + " default ${DEFAULT-VALUE}.")
  int days;

  @Option(names = "--from", paramLabel = "DATE", description = "The first day; default today.")
  LocalDate from;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    if (days < 1) {
      throw CliException.input("--days must be at least 1, was " + days);
    }
    storage.requireCustomer(customer);
    LocalDate first = from != null ? from : storage.billing().clock().today();
    List<ChargeLine> lines = storage.billing().upcoming(customer, first, days);
    LocalDate last = first.plusDays(days - 1L);
    if (lines.isEmpty()) {
      out().println("Nothing falls due for customer " + customer + " from " + first + " to " + last + ".");
      return 0;
    }
    Table table = new Table("Due", "DID", "Package", "Kind", "Period", ">Qty", ">Retail", "Cur", ">Free min", "Credit");
    for (ChargeLine line : lines) {
      table.add(line.dueDate(), line.did().orElse("-"), line.packageId(), line.kind(),
          line.period().start() + ".." + line.period().lastDay(), line.quantity(), Format.money(line.retail()),
          line.retail().currency().getCurrencyCode(), line.grantSeconds() == 0 ? "-" : Format.minutes(line.grantSeconds()),
          line.autoDecrement() ? "debit" : "-");
    }
    out().println("Due for customer " + customer + " from " + first + " to " + last + ":");
    table.print(out());
    return 0;
  }
}
