package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.ServicePackage;
import java.math.BigDecimal;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code allotment assign}: gives a package to a customer, or to one of its DIDs. */
@Command(name = "assign", description = "Assign a package to a customer (or one of its DIDs). Assigning the same"
    + " id with the same terms again changes nothing.")
final class AssignCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--customer", required = true, paramLabel = "CUSTOMER", description = "The customer; a new one"
      + " is known from its first assignment on.")
  String customer;

  @Option(names = "--package", required = true, paramLabel = "PACKAGE", description = "The package id.")
  String packageId;

  @Option(names = "--start", paramLabel = "DATE", description = "First billed day; default today.")
  LocalDate start;

  @Option(names = "--end", paramLabel = "DATE", description = "Last billed day (inclusive); default none.")
  LocalDate end;

  @Option(names = "--did", paramLabel = "DIGITS", description = "Assign to this DID of the customer.")
  String did;

  @Option(names = "--quantity", paramLabel = "N", defaultValue = "1", description = "Multiplies every amount and"
      + " free-minute allowance; default ${DEFAULT-VALUE}.")
  int quantity;

  @Option(names = "--minutes", paramLabel = "N", description = "Free minutes per period and unit (free-minute"
      + " packages only, and required for them).")
  Integer minutes;

  @Option(names = "--auto-decrement", description = "Debit each line from the customer's credit.")
  boolean autoDecrement;

  @Option(names = "--retail", paramLabel = "AMOUNT", description = "Own recurring retail per unit (a negotiated"
      + " price, in the package's currency); default the package's.")
  BigDecimal retail;

  @Option(names = "--cost", paramLabel = "AMOUNT", description = "Own recurring cost per unit; default the package's.")
  BigDecimal cost;

  @Option(names = "--setup-retail", paramLabel = "AMOUNT", description = "Own setup fee per unit (0 waives it);"
      + " default the package's.")
  BigDecimal setupRetail;

  @Option(names = "--setup-cost", paramLabel = "AMOUNT", description = "Own setup cost per unit; default the"
      + " package's.")
  BigDecimal setupCost;

  @Option(names = "--id", paramLabel = "ID", description = "The assignment id; default CUSTOMER-PACKAGE[-DID]-START.")
  String id;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    LocalDate first = start != null ? start : storage.billing().clock().today();
    String assignmentId = id != null ? id
        : customer + "-" + packageId + (did != null ? "-" + did : "") + "-" + first;
    AssignmentBuilder builder = Assignment.builder(assignmentId).customerId(customer).packageId(packageId)
        .quantity(quantity).startDate(first).autoDecrementCredit(autoDecrement);
    if (end != null) {
      builder.endDate(end);
    }
    if (did != null) {
      builder.did(did);
    }
    if (minutes != null) {
      builder.minutes(minutes);
    }
    builder.ownPrices(ownPrices(retail, cost, setupRetail, setupCost));
    Assignment assignment = builder.build();
    ServicePackage servicePackage = storage.billing().findPackage(packageId).orElseThrow(() -> CliException.input(
        "unknown package '" + packageId + "': 'allotment catalog list' shows the catalog"));
    boolean added = storage.billing().assign(assignment);
    out().println((added ? "Assigned " : "Already assigned with these terms: ") + describe(assignment, servicePackage));
    return 0;
  }

  /** The own prices of the options given; {@link OwnPrices#NONE} when none is. */
  static OwnPrices ownPrices(BigDecimal retail, BigDecimal cost, BigDecimal setupRetail, BigDecimal setupCost) {
    OwnPrices prices = OwnPrices.NONE;
    prices = retail == null ? prices : prices.withRetail(retail);
    prices = cost == null ? prices : prices.withCost(cost);
    prices = setupRetail == null ? prices : prices.withSetupRetail(setupRetail);
    return setupCost == null ? prices : prices.withSetupCost(setupCost);
  }

  static String describe(Assignment a, ServicePackage p) {
    return a.id() + ": " + p.id() + " (" + p.name() + ") x" + a.quantity() + " to customer " + a.customerId()
        + a.did().map(d -> " on DID " + d).orElse("") + " from " + a.startDate()
        + a.endDate().map(e -> " to " + e).orElse("") + a.minutes().stream().mapToObj(m -> ", " + m + " minutes")
            .findFirst().orElse("") + (a.autoDecrementCredit() ? ", debited from credit" : "")
        + (a.ownPrices().isEmpty() ? "" : ", own prices " + a.ownPrices().toString().replace("OwnPrices", ""));
  }
}
