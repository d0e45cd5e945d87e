package dev.allotment.examples;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.MutableBillingClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The README's first command: builds a small catalog in code, assigns packages to two customers,
 * prints a simulated run for a date as a table with totals, then charges it, shows that a second
 * charge adds nothing, consumes a call against the free minutes it granted, and lists what falls
 * due next.
 *
 * <p>Everything is stored in the embedded default: an in-memory H2 database through
 * {@link JdbcStores}, schema created on start. A host swaps the URL for its PostgreSQL.
 *
 * <p>Usage: {@code Demo [yyyy-mm-dd]} (default 2026-12-01).
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    LocalDate date = args.length > 0 ? LocalDate.parse(args[0]) : LocalDate.of(2026, 12, 1);
    ZoneId zone = ZoneId.of("Europe/London");
    MutableBillingClock clock = MutableBillingClock.startOf(date, zone);
    JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:allotment-demo;DB_CLOSE_DELAY=-1", "sa", "");
    try {
      demo(date, clock, JdbcStores.create(pool));
    } finally {
      pool.dispose();
    }
  }

  private static void demo(LocalDate date, MutableBillingClock clock, JdbcStores stores) {
    // Every store at once: grants, credit and the journal land in the same database, batch by batch.
    PackageBilling billing = PackageBilling.builder().clock(clock).stores(stores).build();

    defineCatalog(billing);
    assignPackages(billing);
    billing.stores().creditLedger().credit(new CreditEntry("top-up-1", "acme", Money.of("120.00", "GBP")));

    RunReport simulated = billing.run(date, RunMode.SIMULATE);
    System.out.println("== Simulated run for " + date + " (nothing written)");
    System.out.println(simulated.toText());

    RunReport charged = billing.run(date, RunMode.CHARGE);
    System.out.println("== Charged: " + charged.summary().charged() + " lines; acme's credit is now "
        + billing.stores().creditLedger().balance("acme", Currency.getInstance("GBP")));
    RunReport again = billing.run(date, RunMode.CHARGE);
    System.out.println("== Charged again for the same date: " + again.summary().charged()
        + " new lines (everything is already charged, nothing twice)");

    Instant callStart = clock.startOf(date).plusSeconds(9 * 3600);
    UsageRecord call = UsageRecord.of("call-0001", "acme", "442079460000", callStart, 125);
    long before = billing.available("acme", Optional.empty(), "442079460000", callStart);
    long covered = billing.consume(call).coveredSeconds();
    billing.consume(call); // the switch retries: same usage id, nothing consumed twice
    long after = billing.available("acme", Optional.empty(), "442079460000", callStart);
    System.out.println("== Free minutes: acme had " + before + " s for 442079460000; a 125 s call, reported twice, "
        + "consumed " + covered + " s (rounded up to whole minutes), leaving " + after + " s");
    System.out.println();
    System.out.println("== Upcoming for acme, next 31 days from " + date.plusDays(1));
    for (ChargeLine line : billing.upcoming("acme", date.plusDays(1), 31)) {
      System.out.printf("   %s  %-14s %-13s %s%n", line.dueDate(), line.packageId(), line.kind(), line.retail());
    }
  }

  private static void defineCatalog(PackageBilling billing) {
    billing.define(ServicePackage.builder("business-line").name("Business line").currency("GBP")
        .retail("25.00").cost("9.50").setupRetail("15.00").setupCost("5.00")
        .frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).minimumDays(90)
        .features("voicemail", "call-recording").build());
    billing.define(ServicePackage.builder("uk-500").name("500 UK minutes").currency("GBP").retail("5.00")
        .cost("1.20").frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1))
        .types(PackageType.FREE_MINUTES).destination("^44").roundingIncrementSeconds(60).build());
    billing.define(ServicePackage.builder("did-rental").name("DID rental").currency("GBP").retail("1.50")
        .cost("0.40").frequency(Frequency.MONTHLY).firstPeriod(FirstPeriod.FULL).build());
    billing.define(ServicePackage.builder("support").name("Priority support").currency("GBP").retail("12.00")
        .cost("4.00").frequency(Frequency.WEEKLY).frequencyMatch(FrequencyMatch.parse("MON,THU"))
        .firstPeriod(FirstPeriod.FREE).build());
    billing.define(ServicePackage.builder("min-spend").name("Minimum spend 100").currency("GBP")
        .retail("100.00").frequency(Frequency.MONTHLY).frequencyMatch(FrequencyMatch.daysOfMonth(1))
        .minimumSpend(true).build());
    billing.define(ServicePackage.builder("daily-data").name("Daily data pass").currency("EUR").retail("0.45")
        .cost("0.10").frequency(Frequency.DAILY).build());
  }

  private static void assignPackages(PackageBilling billing) {
    LocalDate oct15 = LocalDate.of(2026, 10, 15);
    billing.assign(Assignment.builder("acme-line").customerId("acme").packageId("business-line").quantity(3)
        .startDate(oct15).autoDecrementCredit(true).build());
    billing.assign(Assignment.builder("acme-uk").customerId("acme").packageId("uk-500").minutes(500)
        .startDate(oct15).autoDecrementCredit(true).build());
    billing.assign(Assignment.builder("acme-did").customerId("acme").did("442071234567").packageId("did-rental")
        .startDate(LocalDate.of(2026, 11, 20)).build());
    billing.assign(Assignment.builder("globex-support").customerId("globex").packageId("support")
        .startDate(LocalDate.of(2026, 11, 18)).build());
    billing.assign(Assignment.builder("globex-min").customerId("globex").packageId("min-spend")
        .startDate(LocalDate.of(2026, 10, 1)).build());
    billing.assign(Assignment.builder("globex-data").customerId("globex").packageId("daily-data").quantity(2)
        .startDate(LocalDate.of(2026, 11, 25)).endDate(LocalDate.of(2026, 12, 31)).build());
  }
}
