package dev.allotment.cli;

import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code allotment balances --customer C}: the customer's free-minute grants and what is left of them. */
@Command(name = "balances", description = "The customer's free-minute grants valid at an instant (default now):"
    + " used, granted and remaining minutes.")
final class BalancesCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--customer", required = true, paramLabel = "CUSTOMER", description = "The customer.")
  String customer;

  @ArgGroup(exclusive = true)
  When when;

  /** At most one of --at and --date. */
  static final class When {
    @Option(names = "--at", paramLabel = "INSTANT", description = "At this instant, e.g. 2026-07-02T09:00:00Z.")
    Instant at;

    @Option(names = "--date", paramLabel = "DATE", description = "At the start of this billing date.")
    LocalDate date;
  }

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    storage.requireCustomer(customer);
    Instant at = when == null ? storage.billing().clock().now()
        : when.at != null ? when.at : storage.billing().clock().startOf(when.date);
    List<GrantBalance> balances = storage.billing().balances(customer, at);
    if (balances.isEmpty()) {
      out().println("Customer " + customer + " has no free-minute grant valid at " + at + ".");
      return 0;
    }
    Table table = new Table("Grant", "DID", "Destination", "Valid from", "Valid until", ">Used", ">Granted",
        ">Remaining");
    long used = 0;
    long granted = 0;
    for (GrantBalance balance : balances) {
      Grant grant = balance.grant();
      table.add(grant.id(), grant.did().orElse("-"), grant.destination().map(d -> d.source()).orElse("any"),
          grant.validFrom(), grant.validUntil().map(Instant::toString).orElse("never"),
          Format.minutes(balance.usedSeconds()), Format.minutes(balance.allocatedSeconds()),
          Format.minutes(balance.remainingSeconds()));
      used += balance.usedSeconds();
      granted += balance.allocatedSeconds();
    }
    out().println("Free minutes of customer " + customer + " at " + at + " (minutes:seconds):");
    table.print(out());
    out().println("Total: " + Format.minutes(used) + " used of " + Format.minutes(granted) + ", "
        + Format.minutes(granted - used) + " remaining");
    return 0;
  }
}
