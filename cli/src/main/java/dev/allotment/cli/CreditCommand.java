package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.core.Money;
import dev.allotment.spi.CreditEntry;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code allotment credit --customer C [--top-up AMOUNT]}: the customer's credit, topped up on request. */
@Command(name = "credit", description = "The customer's credit balance in each currency of its packages (auto-decrement"
    + " lines are debited from it); --top-up credits it first.")
final class CreditCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--customer", required = true, paramLabel = "CUSTOMER", description = "The customer.")
  String customer;

  @Option(names = "--top-up", paramLabel = "AMOUNT", description = "Credit this amount first, e.g. 50.00.")
  BigDecimal topUp;

  @Option(names = "--currency", paramLabel = "CODE", description = "The top-up's currency (ISO 4217); needed only when"
      + " the customer's packages use several.")
  String currency;

  @Option(names = "--key", paramLabel = "KEY", description = "The top-up's idempotency key: the same key again"
      + " credits nothing (default: a new random key).")
  String key;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    storage.requireCustomer(customer);
    SortedSet<String> currencies = new TreeSet<>();
    for (Assignment assignment : storage.assignmentsOf(customer)) {
      storage.billing().findPackage(assignment.packageId())
          .ifPresent(p -> currencies.add(p.currency().getCurrencyCode()));
    }
    if (topUp != null) {
      Currency topUpCurrency = topUpCurrency(currencies);
      Money amount;
      CreditEntry entry;
      try {
        amount = Money.of(topUp, topUpCurrency);
        entry = new CreditEntry(key != null ? key : "cli-top-up-" + UUID.randomUUID(), customer, amount);
      } catch (IllegalArgumentException e) {
        throw CliException.input("--top-up: " + e.getMessage());
      }
      boolean applied = storage.stores().creditLedger().credit(entry);
      out().println(applied ? "Credited " + Format.money(amount) + " " + topUpCurrency + " to customer " + customer
          + " (key " + entry.key() + ")" : "Top-up key " + entry.key() + " was applied before: nothing credited");
      currencies.add(topUpCurrency.getCurrencyCode());
    }
    Table table = new Table("Cur", ">Balance");
    for (String code : currencies) {
      table.add(code, Format.money(storage.stores().creditLedger().balance(customer, Currency.getInstance(code))));
    }
    out().println("Credit of customer " + customer + ":");
    table.print(out());
    return 0;
  }

  private Currency topUpCurrency(SortedSet<String> currencies) {
    Optional<String> code = Optional.ofNullable(currency)
        .or(() -> currencies.size() == 1 ? Optional.of(currencies.first()) : Optional.empty());
    if (code.isEmpty()) {
      throw CliException.input("--currency is needed: customer " + customer + " has packages in " + currencies);
    }
    try {
      return Money.currency(code.get().strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw CliException.input("--currency: " + e.getMessage());
    }
  }
}
