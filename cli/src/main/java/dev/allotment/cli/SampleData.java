package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.Frequency;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CatalogJson;
import dev.allotment.spi.CreditEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sample {@code init --sample} loads: the catalog of {@code sample-catalog.json} (ten packages,
 * one for each rule: monthly on the 1st, "15 and 31", weekly Monday and Thursday, daily, a yearly
 * licence, a minimum spend, a setup-only installation, two free-minute bundles limited by
 * destination, a first week free) and 200 customers with assignments at customer and DID level,
 * quantities, some end dates, auto-decrement on for prepaid customers (who get credit), and the
 * spend of the minimum-spend customers. Starts fall in the first half of 2026, so a run for
 * {@link #SUGGESTED_RUN_DATE} catches up months of every kind of line.
 *
 * <p>Generated from a fixed seed: every sample is the same, so a report can be checked against
 * figures computed from it.
 */
final class SampleData {
  static final int CUSTOMERS = 200;
  static final LocalDate FIRST_START = LocalDate.of(2026, 1, 1);
  static final LocalDate LAST_START = LocalDate.of(2026, 6, 30);
  static final LocalDate SUGGESTED_RUN_DATE = LocalDate.of(2026, 7, 1);
  static final String CATALOG_RESOURCE = "sample-catalog.json";
  private static final long SEED = 13;

  /** A customer's spend on a day (calls, services), which minimum-spend packages count. */
  record Spend(String key, String customerId, LocalDate date, Money amount) {}

  /** A customer and its DIDs. */
  record Customer(String id, List<String> dids, boolean prepaid) {}

  /** The whole sample. */
  record Sample(String catalogJson, Map<String, ServicePackage> packages, List<Customer> customers,
      List<Assignment> assignments, List<CreditEntry> credits, List<Spend> spend) {}

  private final Random random = new Random(SEED);
  private final Map<String, ServicePackage> packages;
  private final List<Assignment> assignments = new ArrayList<>();
  private final List<CreditEntry> credits = new ArrayList<>();
  private final List<Spend> spend = new ArrayList<>();
  private int nextDid = 1;

  private SampleData(Map<String, ServicePackage> packages) {
    this.packages = packages;
  }

  /** The sample, the same every time. */
  static Sample generate() {
    String json = catalogJson();
    Map<String, ServicePackage> packages = CatalogJson.parse(json).stream()
        .collect(Collectors.toMap(ServicePackage::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    SampleData data = new SampleData(packages);
    List<Customer> customers = new ArrayList<>();
    for (int i = 1; i <= CUSTOMERS; i++) {
      customers.add(data.customer(String.format("cust-%03d", i)));
    }
    return new Sample(json, packages, List.copyOf(customers), List.copyOf(data.assignments), List.copyOf(data.credits),
        List.copyOf(data.spend));
  }

  static String catalogJson() {
    try (InputStream in = SampleData.class.getResourceAsStream(CATALOG_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + CATALOG_RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Customer customer(String id) {
    LocalDate since = FIRST_START.plusDays(random.nextInt(181));
    boolean prepaid = random.nextDouble() < 0.5;
    List<String> dids = new ArrayList<>();
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      dids.add(String.format("44207946%04d", nextDid++));
    }
    for (String did : dids) {
      assign(id, "did-rental", did, 1, null, since, prepaid);
    }
    if (random.nextDouble() < 0.5) {
      assign(id, "sip-trunk", null, 1 + random.nextInt(4), null, since, prepaid);
    }
    if (random.nextDouble() < 0.25) {
      assign(id, "support-visits", null, 1, null, since, prepaid);
    }
    if (random.nextDouble() < 0.2) {
      assign(id, "call-recording", dids.get(0), 1, null, since, prepaid);
    }
    if (random.nextDouble() < 0.3) {
      assign(id, "pbx-licence", null, 1 + random.nextInt(10), null, since, prepaid);
    }
    boolean minimumSpend = random.nextDouble() < 0.15;
    if (minimumSpend) {
      assign(id, "min-spend-100", null, 1, null, since, prepaid);
    }
    if (random.nextDouble() < 0.3) {
      assign(id, "installation", null, 1, null, since, prepaid);
    }
    if (random.nextDouble() < 0.5) {
      String did = random.nextDouble() < 0.3 ? dids.get(random.nextInt(dids.size())) : null;
      assign(id, "intl-1000", did, 1 + random.nextInt(2), 1000, since, prepaid);
    }
    boolean euros = false;
    if (random.nextDouble() < 0.25) {
      assign(id, "france-300", null, 1, 300, since, prepaid);
      euros = true;
    }
    if (random.nextDouble() < 0.1) {
      assign(id, "fax-line", dids.get(dids.size() - 1), 1, null, since, prepaid);
      euros = true;
    }
    if (prepaid) {
      credits.add(new CreditEntry("sample-top-up-" + id + "-USD", id, Money.of(String.valueOf(100 + 10 * random.nextInt(90)),
          "USD").rounded()));
      if (euros) {
        credits.add(new CreditEntry("sample-top-up-" + id + "-EUR", id, Money.of(String.valueOf(20 + 5 * random.nextInt(20)),
            "EUR").rounded()));
      }
    }
    if (minimumSpend) {
      for (YearMonth month = YearMonth.from(since); !month.isAfter(YearMonth.from(SUGGESTED_RUN_DATE));
          month = month.plusMonths(1)) {
        spend.add(new Spend("sample-spend-" + id + "-" + month, id, month.atDay(10),
            Money.of(20 + random.nextInt(120) + ".50", "USD")));
      }
    }
    return new Customer(id, List.copyOf(dids), prepaid);
  }

  private void assign(String customer, String packageId, String did, int quantity, Integer minutes, LocalDate since,
      boolean prepaid) {
    ServicePackage servicePackage = packages.get(packageId);
    LocalDate start = since.plusDays(random.nextInt(15));
    if (start.isAfter(LAST_START)) {
      start = LAST_START;
    }
    AssignmentBuilder builder = Assignment.builder(customer + "-" + packageId + (did == null ? "" : "-" + did))
        .customerId(customer).packageId(packageId).quantity(quantity).startDate(start).autoDecrementCredit(prepaid);
    if (did != null) {
      builder.did(did);
    }
    if (minutes != null) {
      builder.minutes(minutes);
    }
    // About one assignment in eight ends: some before the suggested run date, some after.
    if (random.nextDouble() < 0.12 && servicePackage.frequency() != Frequency.NONE) {
      builder.endDate(start.plusDays(servicePackage.minimumDays() + random.nextInt(120)));
    }
    assignments.add(builder.build());
  }
}
