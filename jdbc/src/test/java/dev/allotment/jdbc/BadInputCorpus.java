package dev.allotment.jdbc;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.Grant;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import dev.allotment.spi.CreditEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One corpus of bad inputs, each with the field its refusal must name: packages, assignments, end
 * dates, usage records and queries, credit entries, grants, catalog JSON, run dates and look-ahead
 * days. {@link BadInputCorpusChecks} runs every one against every store.
 */
final class BadInputCorpus {
  /** A start every base assignment shares, and the clock's today. */
  static final LocalDate JAN_1 = LocalDate.of(2026, 1, 1);
  static final Instant CALL = Instant.parse("2026-03-02T10:00:00Z");

  private BadInputCorpus() {}

  /**
   * One bad input.
   *
   * @param name what is bad, for the test's name
   * @param field the field the refusal's message must name
   * @param attempt the call that must be refused, on an engine over the store under test
   */
  record Case(String name, String field, Consumer<PackageBilling> attempt) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static ServicePackageBuilder pkg(String id) {
    return ServicePackage.builder(id).name("P").currency("USD").frequency(Frequency.MONTHLY);
  }

  private static AssignmentBuilder assignment(String id) {
    return Assignment.builder(id).customerId("c1").packageId("m").startDate(JAN_1);
  }

  /** An assignment of the free-minutes package. */
  private static AssignmentBuilder minutes(String id) {
    return Assignment.builder(id).customerId("c2").packageId("fm").startDate(JAN_1);
  }

  private static String catalog(String packageJson) {
    return "{\"packages\": [{\"id\": \"ok\", \"name\": \"Ok\", \"currency\": \"USD\", \"frequency\": \"DAILY\"}, "
        + packageJson + "]}";
  }

  private static String jsonPackage(String extra) {
    return "{\"id\": \"j\", \"name\": \"J\", \"currency\": \"USD\", \"frequency\": \"MONTHLY\"" + extra + "}";
  }

  static Stream<Case> cases() {
    List<Case> cases = new ArrayList<>();
    // ---- package ids: the one alphabet
    String[][] ids = {{"NBSP", "a\u00A0b"}, {"zero-width space", "a\u200Bb"}, {"bidi override", "a\u202Eb"},
        {"zero-width and bidi", "base-m\u200B\u202E"}, {"slash", "a/b"}, {"hash", "a#b"}, {"space", "a b"},
        {"tab", "a\tb"}, {"empty", ""}, {"101 characters", "x".repeat(101)}, {"decomposed accent", "cafe\u0301"},
        {"unpaired surrogate", "a\uD800"}, {"private use", "a\uE000"}, {"isolate", "a\u2066b"},
        {"soft hyphen", "a\u00ADb"}, {"NUL", "a\u0000b"}};
    for (String[] id : ids) {
      cases.add(new Case("package id: " + id[0], "id", b -> b.define(pkg(id[1]).build())));
    }
    // ---- package text
    String[][] names = {{"NUL", "a\u0000b"}, {"unpaired high surrogate", "a\uD83Db"}, {"unpaired low surrogate",
        "\uDE00"}, {"bell", "ring\u0007"}, {"C1 control", "x\u0085"}, {"blank", "  "}, {"201 characters",
        "n".repeat(201)}};
    for (String[] name : names) {
      cases.add(new Case("name: " + name[0], "name", b -> b.define(ServicePackage.builder("p").name(name[1])
          .currency("USD").frequency(Frequency.MONTHLY).build())));
    }
    cases.add(new Case("description: NUL", "description", b -> b.define(pkg("p").description("\u0000").build())));
    cases.add(new Case("description: unpaired surrogate", "description",
        b -> b.define(pkg("p").description("x\uDC00").build())));
    cases.add(new Case("description: 4001 characters", "description",
        b -> b.define(pkg("p").description("d".repeat(4001)).build())));
    cases.add(new Case("feature: NUL", "features", b -> b.define(pkg("p").features("voice\u0000mail").build())));
    cases.add(new Case("feature: blank", "features", b -> b.define(pkg("p").features(" ").build())));
    cases.add(new Case("feature: 101 characters", "features", b -> b.define(pkg("p").features("f".repeat(101)).build())));
    // ---- currencies
    cases.add(new Case("currency: no minor unit", "currency", b -> b.define(ServicePackage.builder("p").name("P")
        .currency("XXX").frequency(Frequency.MONTHLY).build())));
    cases.add(new Case("currency: unknown", "currency", b -> b.define(ServicePackage.builder("p").name("P")
        .currency("ABC").frequency(Frequency.MONTHLY).build())));
    cases.add(new Case("currency: lower case", "currency", b -> b.define(ServicePackage.builder("p").name("P")
        .currency("usd").frequency(Frequency.MONTHLY).build())));
    // ---- amounts
    String[][] amounts = {{"retail", "1E+999999999"}, {"retail", "-1E+999999999"}, {"retail", "10000000"},
        {"retail", "0.0000001"}, {"retail", "-1"}, {"retail", "abc"}, {"retail", "9".repeat(101)},
        {"cost", "99999999"}, {"cost", "1.1234567"}, {"setupRetail", "1E+20"}, {"setupRetail", "-0.01"},
        {"setupCost", "1e7"}, {"setupCost", "NaN"}};
    for (String[] amount : amounts) {
      cases.add(new Case(amount[0] + " " + (amount[1].length() > 20 ? "of 101 digits" : amount[1]), amount[0], b -> {
        ServicePackageBuilder builder = pkg("p");
        switch (amount[0]) {
          case "retail" -> builder.retail(amount[1]);
          case "cost" -> builder.cost(amount[1]);
          case "setupRetail" -> builder.setupRetail(amount[1]);
          default -> builder.setupCost(amount[1]);
        }
        b.define(builder.build());
      }));
    }
    cases.add(new Case("retail 1E-999999999 as a number", "retail",
        b -> b.define(pkg("p").retail(new BigDecimal("1E-999999999")).build())));
    // ---- destinations: digit patterns only
    String[] destinations = {"^\\+44", "^abc", "^4 4", "(?=44)", "^(4)\\1", "^4{33}", "[a-z]", "^(44", "44)", "*4",
        "^4**", "^4*?", "  ", "^44\u200B", "^12|".repeat(4001)};
    for (String destination : destinations) {
      cases.add(new Case("destination " + (destination.length() > 40 ? "of " + destination.length() + " characters"
          : destination),
          "destination", b -> b.define(pkg("fm2").types(PackageType.FREE_MINUTES).destination(destination).build())));
    }
    // ---- other package rules
    cases.add(new Case("frequencyMatch for DAILY", "frequencyMatch", b -> b.define(ServicePackage.builder("p")
        .name("P").currency("USD").frequency(Frequency.DAILY).frequencyMatch(FrequencyMatch.daysOfMonth(1)).build())));
    cases.add(new Case("minimumDays -1", "minimumDays", b -> b.define(pkg("p").minimumDays(-1).build())));
    cases.add(new Case("rounding 0", "roundingIncrementSeconds", b -> b.define(pkg("p").roundingIncrementSeconds(0)
        .build())));
    cases.add(new Case("rounding 3601", "roundingIncrementSeconds", b -> b.define(pkg("p")
        .roundingIncrementSeconds(3601).build())));
    cases.add(new Case("minimumSpend without a frequency", "minimumSpend", b -> b.define(ServicePackage.builder("p")
        .name("P").currency("USD").frequency(Frequency.NONE).minimumSpend(true).build())));
    cases.add(new Case("destination without free minutes", "destination", b -> b.define(pkg("p").destination("^44")
        .build())));
    // ---- assignments
    int[] quantities = {0, -1, 1_000_001, Integer.MAX_VALUE};
    for (int quantity : quantities) {
      cases.add(new Case("quantity " + quantity, "quantity", b -> b.assign(assignment("x").quantity(quantity).build())));
    }
    LocalDate[] starts = {LocalDate.of(1899, 12, 31), LocalDate.of(9999, 1, 1), LocalDate.MAX, LocalDate.MIN};
    for (LocalDate start : starts) {
      cases.add(new Case("startDate " + start, "startDate", b -> b.assign(Assignment.builder("x").customerId("c1")
          .packageId("m").startDate(start).build())));
    }
    cases.add(new Case("endDate before start", "endDate", b -> b.assign(assignment("x").endDate(JAN_1.minusDays(1))
        .build())));
    cases.add(new Case("endDate 9999-12-31", "endDate", b -> b.assign(assignment("x")
        .endDate(LocalDate.of(9999, 12, 31)).build())));
    cases.add(new Case("customerId NBSP", "customerId", b -> b.assign(Assignment.builder("x").customerId("c\u00A01")
        .packageId("m").startDate(JAN_1).build())));
    cases.add(new Case("customerId zero-width", "customerId", b -> b.assign(Assignment.builder("x")
        .customerId("c1\u200B").packageId("m").startDate(JAN_1).build())));
    cases.add(new Case("customerId slash", "customerId", b -> b.assign(Assignment.builder("x").customerId("c/1")
        .packageId("m").startDate(JAN_1).build())));
    cases.add(new Case("packageId bidi", "packageId", b -> b.assign(Assignment.builder("x").customerId("c1")
        .packageId("m\u202E").startDate(JAN_1).build())));
    cases.add(new Case("assignment id zero-width", "id", b -> b.assign(assignment("a1\u200B").build())));
    String[] dids = {"+44", "44a", "1".repeat(33), "", "\u0664\u0664"};
    for (String did : dids) {
      cases.add(new Case("did '" + did + "'", "did", b -> b.assign(assignment("x").did(did).build())));
    }
    cases.add(new Case("minutes 0", "minutes", b -> b.assign(minutes("x").minutes(0).build())));
    cases.add(new Case("minutes -5", "minutes", b -> b.assign(minutes("x").minutes(-5).build())));
    cases.add(new Case("minutes x quantity", "minutes", b -> b.assign(minutes("x").minutes(1_000_000_000).quantity(2)
        .build())));
    cases.add(new Case("minutes on a package without free minutes", "minutes",
        b -> b.assign(assignment("x").minutes(100).build())));
    cases.add(new Case("no minutes on a free-minutes package", "minutes",
        b -> b.assign(minutes("x").build())));
    cases.add(new Case("unassign after the last billing date", "endDate",
        b -> b.unassign("a1", LocalDate.of(9999, 6, 1))));
    cases.add(new Case("unassign on LocalDate.MIN", "endDate", b -> b.unassign("a1", LocalDate.MIN)));
    // ---- usage records and free-minute queries
    cases.add(new Case("usageId zero-width", "usageId", b -> b.consume(UsageRecord.of("u\u200B", "c2", "4420", CALL, 1))));
    cases.add(new Case("usage customer NBSP", "customerId", b -> b.consume(UsageRecord.of("u9", "c\u00A02", "4420",
        CALL, 1))));
    cases.add(new Case("number +44", "number", b -> b.consume(UsageRecord.of("u9", "c2", "+4420", CALL, 1))));
    cases.add(new Case("number of 33 digits", "number", b -> b.consume(UsageRecord.of("u9", "c2", "4".repeat(33),
        CALL, 1))));
    cases.add(new Case("number with a space", "number", b -> b.consume(UsageRecord.of("u9", "c2", "44 20", CALL, 1))));
    cases.add(new Case("duration -1", "durationSeconds", b -> b.consume(UsageRecord.of("u9", "c2", "4420", CALL, -1))));
    cases.add(new Case("duration 86401", "durationSeconds", b -> b.consume(UsageRecord.of("u9", "c2", "4420", CALL,
        86_401))));
    cases.add(new Case("start with nanoseconds", "start", b -> b.consume(UsageRecord.of("u9", "c2", "4420",
        CALL.plusNanos(1), 1))));
    cases.add(new Case("start in year 10000", "start", b -> b.consume(UsageRecord.of("u9", "c2", "4420",
        Instant.parse("+10000-01-01T00:00:00Z"), 1))));
    cases.add(new Case("start Instant.MIN", "start", b -> b.consume(UsageRecord.of("u9", "c2", "4420", Instant.MIN, 1))));
    cases.add(new Case("usage did x", "did", b -> b.consume(UsageRecord.onDid("u9", "c2", "x", "4420", CALL, 1))));
    cases.add(new Case("available at nanoseconds", "at", b -> b.available("c2", Optional.empty(), "4420",
        CALL.plusNanos(500))));
    cases.add(new Case("available in year 10000", "at", b -> b.available("c2", Optional.empty(), "4420",
        Instant.parse("+10000-01-01T00:00:00Z"))));
    cases.add(new Case("balances at Instant.MIN", "at", b -> b.balances("c2", Instant.MIN)));
    cases.add(new Case("available for +44", "number", b -> b.available("c2", Optional.empty(), "+4420", CALL)));
    // ---- credit entries
    cases.add(new Case("credit of 14 integer digits", "amount", b -> b.stores().creditLedger().credit(
        new CreditEntry("top-9", "c1", Money.of("10000000000000", "USD")))));
    cases.add(new Case("credit of 7 decimals", "amount", b -> b.stores().creditLedger().credit(
        new CreditEntry("top-9", "c1", Money.of("0.0000001", "USD")))));
    cases.add(new Case("credit key zero-width", "key", b -> b.stores().creditLedger().credit(
        new CreditEntry("top\u200B", "c1", Money.of("1.00", "USD")))));
    cases.add(new Case("credit key of 201 characters", "key", b -> b.stores().creditLedger().credit(
        new CreditEntry("k".repeat(201), "c1", Money.of("1.00", "USD")))));
    cases.add(new Case("credit customer NBSP", "customerId", b -> b.stores().creditLedger().credit(
        new CreditEntry("top-9", "c\u00A01", Money.of("1.00", "USD")))));
    // ---- grants a host adds
    cases.add(new Case("grant validFrom with nanoseconds", "validFrom", b -> b.freeMinutes().addGrants(List.of(
        Grant.builder("g9").assignmentId("a2").customerId("c2").allocatedSeconds(60).validFrom(CALL.plusNanos(7))
            .build()))));
    cases.add(new Case("grant validUntil in year 10000", "validUntil", b -> b.freeMinutes().addGrants(List.of(
        Grant.builder("g9").assignmentId("a2").customerId("c2").allocatedSeconds(60).validFrom(CALL)
            .validUntil(Instant.parse("+10000-01-01T00:00:00Z")).build()))));
    cases.add(new Case("grant id zero-width", "grantId", b -> b.freeMinutes().addGrants(List.of(
        Grant.builder("g\u200B").assignmentId("a2").customerId("c2").allocatedSeconds(60).validFrom(CALL).build()))));
    // ---- catalog JSON
    String[][] documents = {
        {"trailing garbage", "catalog JSON", "{\"packages\": []} trailing"},
        {"a second document", "catalog JSON", "{\"packages\": []}{\"packages\": []}"},
        {"duplicate retail", "retail", catalog(jsonPackage(", \"retail\": \"1\", \"retail\": \"100\""))},
        {"retail 1E+999999999 as a number", "retail", catalog(jsonPackage(", \"retail\": 1E+999999999"))},
        {"retail 1E+999999999 as text", "retail", catalog(jsonPackage(", \"retail\": \"1E+999999999\""))},
        {"second package of a bad frequency", "frequency", catalog("{\"id\": \"j\", \"name\": \"J\","
            + " \"currency\": \"USD\", \"frequency\": \"HOURLY\"}")},
        {"unknown field", "colour", catalog(jsonPackage(", \"colour\": \"red\""))},
        {"not JSON", "catalog JSON", "packages: []"},
        {"id with a zero-width space", "id", catalog("{\"id\": \"j\\u200B\", \"name\": \"J\", \"currency\": \"USD\","
            + " \"frequency\": \"MONTHLY\"}")},
        {"name with NUL", "name", catalog("{\"id\": \"j\", \"name\": \"J\\u0000\", \"currency\": \"USD\","
            + " \"frequency\": \"MONTHLY\"}")},
        {"destination ^\\+44", "destination", catalog(jsonPackage(", \"types\": [\"FREE_MINUTES\"],"
            + " \"destination\": \"^\\\\+44\""))},
        {"minimumDays 1.5", "minimumDays", catalog(jsonPackage(", \"minimumDays\": 1.5"))},
        {"cost true", "cost", catalog(jsonPackage(", \"cost\": true"))}};
    for (String[] document : documents) {
      cases.add(new Case("catalog JSON: " + document[0], document[1], b -> b.importCatalog(document[2])));
    }
    // ---- run dates and look-ahead days
    cases.add(new Case("run LocalDate.MAX", "date", b -> b.run(LocalDate.MAX, RunMode.CHARGE)));
    cases.add(new Case("run 9999-12-31", "date", b -> b.run(LocalDate.of(9999, 12, 31), RunMode.CHARGE)));
    cases.add(new Case("run 11 years ahead", "date", b -> b.run(JAN_1.plusYears(11), RunMode.CHARGE)));
    cases.add(new Case("run 1899-12-31", "date", b -> b.run(LocalDate.of(1899, 12, 31), RunMode.CHARGE)));
    cases.add(new Case("run LocalDate.MIN streamed", "date", b -> b.run(RunRequest.of(LocalDate.MIN, RunMode.CHARGE),
        line -> { })));
    cases.add(new Case("upcoming Integer.MAX_VALUE days", "days", b -> b.upcoming("c1", JAN_1, Integer.MAX_VALUE)));
    cases.add(new Case("upcoming 0 days", "days", b -> b.upcoming("c1", JAN_1, 0)));
    cases.add(new Case("upcoming 367 days", "days", b -> b.upcoming("c1", JAN_1, 367)));
    cases.add(new Case("upcoming from LocalDate.MAX", "from", b -> b.upcoming("c1", LocalDate.MAX, 1)));
    return cases.stream();
  }
}
