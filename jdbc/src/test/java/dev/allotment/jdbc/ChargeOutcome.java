package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.ServicePackage;
import dev.allotment.spi.PackageCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * What runs left in a JDBC database, read straight from its tables in one go, as the race and
 * crash tests compare it: every journal line (as the journal reads it back), every credit entry,
 * every balance and every free-minute grant with its used seconds; and the laws they keep.
 *
 * <p>Immutable once read.
 *
 * @param lines every journal line, in key order
 * @param entries every credit entry, by key
 * @param balances every balance, by "customer currency"
 * @param grants every grant with its used seconds, by id
 * @param revoked the ids of revoked grants
 */
record ChargeOutcome(List<ChargeLine> lines, Map<String, Entry> entries, Map<String, Money> balances,
    Map<String, GrantBalance> grants, Set<String> revoked) {

  /** A credit entry row. */
  record Entry(String key, String customerId, boolean debit, Money amount) {
    Money signed() {
      return debit ? amount.negate() : amount;
    }
  }

  static ChargeOutcome read(DataSource dataSource) {
    List<ChargeLine> lines = new ArrayList<>();
    Map<String, Entry> entries = new TreeMap<>();
    Map<String, Money> balances = new TreeMap<>();
    Map<String, GrantBalance> grants = new TreeMap<>();
    Set<String> revoked = new TreeSet<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      // One snapshot of every table, so a reader racing nothing sees a consistent state anyway.
      connection.setAutoCommit(false);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (ResultSet rs = statement.executeQuery("SELECT " + Sql.names(JdbcChargeJournal.COLUMNS) + " FROM "
          + JdbcChargeJournal.LINES)) {
        while (rs.next()) {
          lines.add(JdbcChargeJournal.read(rs));
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT entry_key, customer_id, debit, currency, amount FROM "
          + "allotment_credit_entry")) {
        while (rs.next()) {
          entries.put(rs.getString(1), new Entry(rs.getString(1), rs.getString(2), rs.getBoolean(3),
              Money.of(rs.getBigDecimal(5), Money.currency(rs.getString(4).trim()))));
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT customer_id, currency, balance FROM "
          + "allotment_credit_balance")) {
        while (rs.next()) {
          String currency = rs.getString(2).trim();
          balances.put(rs.getString(1) + " " + currency, Money.of(rs.getBigDecimal(3), Money.currency(currency)));
        }
      }
      try (ResultSet rs = statement.executeQuery("SELECT " + Sql.names(FreeMinuteSql.GRANT_COLUMNS)
          + ", used_seconds, revoked_at FROM " + FreeMinuteSql.GRANTS)) {
        while (rs.next()) {
          GrantBalance grant = FreeMinuteSql.readBalance(rs);
          grants.put(grant.grant().id(), grant);
          if (rs.getObject("revoked_at") != null) {
            revoked.add(grant.grant().id());
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the outcome", e);
    }
    lines.sort((a, b) -> a.key().compareTo(b.key()));
    return new ChargeOutcome(List.copyOf(lines), entries, balances, grants, revoked);
  }

  /** The journal lines of one kind, by key text. */
  Map<String, ChargeLine> linesOf(LineKind kind) {
    Map<String, ChargeLine> byKey = new TreeMap<>();
    lines.stream().filter(l -> l.kind() == kind).forEach(l -> byKey.put(l.key().toString(), l));
    return byKey;
  }

  Set<String> keysOf(LineKind kind) {
    return new TreeSet<>(linesOf(kind).keySet());
  }

  /**
   * Per assignment and period start, the retail of its RECURRING line and its ADJUSTMENT lines
   * together, when not zero: what a period costs, however many end-date changes it went through.
   */
  Map<String, Money> netPerPeriod() {
    Map<String, Money> net = new TreeMap<>();
    for (ChargeLine line : lines) {
      if (line.kind() == LineKind.RECURRING || line.kind() == LineKind.ADJUSTMENT) {
        net.merge(line.assignmentId() + " " + line.period().start(), line.retail(), Money::plus);
      }
    }
    net.values().removeIf(Money::isZero);
    return net;
  }

  /** Per "customer currency", the sum of the journaled auto-decrement lines' retail, negated, when not zero. */
  Map<String, Money> debitsFromJournal() {
    Map<String, Money> debits = new TreeMap<>();
    lines.stream().filter(ChargeLine::autoDecrement).forEach(l -> debits.merge(l.customerId() + " "
        + l.retail().currency().getCurrencyCode(), l.retail().negate(), Money::plus));
    debits.values().removeIf(Money::isZero);
    return debits;
  }

  /** Per "customer currency", the signed sum of the credit entries whose key {@code which} accepts, when not zero. */
  Map<String, Money> entrySums(Predicate<String> which) {
    Map<String, Money> sums = new TreeMap<>();
    entries.values().stream().filter(e -> which.test(e.key())).forEach(e -> sums.merge(e.customerId() + " "
        + e.amount().currency().getCurrencyCode(), e.signed(), Money::plus));
    sums.values().removeIf(Money::isZero);
    return sums;
  }

  /** The balances that are not zero. */
  Map<String, Money> nonZeroBalances() {
    Map<String, Money> nonZero = new TreeMap<>(balances);
    nonZero.values().removeIf(Money::isZero);
    return nonZero;
  }

  /**
   * Asserts that credit and the journal agree line for line: every journaled auto-decrement line of
   * non-zero retail has exactly one entry under its key, of its customer, a debit of its retail (a
   * credit of minus it for a negative adjustment); no other line has one; and every entry whose
   * key {@code isTopUp} does not accept is the entry of a journaled line.
   */
  void assertEveryLinePostedOnce(Predicate<String> isTopUp, String context) {
    List<String> problems = new ArrayList<>();
    Set<String> journaled = new TreeSet<>();
    for (ChargeLine line : lines) {
      String key = line.key().toString();
      journaled.add(key);
      Entry entry = entries.get(key);
      if (!line.autoDecrement() || line.retail().isZero()) {
        if (entry != null) {
          problems.add("line " + key + " (auto-decrement " + line.autoDecrement() + ", retail " + line.retail()
              + ") has entry " + entry);
        }
        continue;
      }
      if (entry == null) {
        problems.add("auto-decrement line " + key + " of retail " + line.retail() + " has no credit entry");
      } else if (!entry.signed().equals(line.retail().negate()) || !entry.customerId().equals(line.customerId())) {
        problems.add("line " + key + " of " + line.customerId() + ", retail " + line.retail() + ", has entry " + entry);
      }
    }
    for (Entry entry : entries.values()) {
      if (!isTopUp.test(entry.key()) && !journaled.contains(entry.key())) {
        problems.add("credit entry " + entry + " has no journaled line");
      }
    }
    if (!problems.isEmpty()) {
      fail(context + ": credit and journal disagree in " + problems.size() + " places: "
          + problems.subList(0, Math.min(5, problems.size())));
    }
  }

  /**
   * Asserts that the grants are exactly those of the journaled FREE_MINUTES lines, each equal to
   * {@link Grant#of} of its line and its package as the catalog holds it now, revised by the line's
   * latest GRANT_ADJUSTMENT (seconds, validity,
   * destination, rounding, DID), none revoked and none used (these tests consume no calls).
   */
  void assertGrantsAreThoseOfTheJournaledLines(PackageCatalog catalog, ZoneId zone, String context) {
    Map<String, Grant> expected = new TreeMap<>();
    Map<String, ServicePackage> packages = new TreeMap<>();
    Map<LineKey, ChargeLine> latestRevision = new TreeMap<>();
    for (ChargeLine revision : linesOf(LineKind.GRANT_ADJUSTMENT).values()) {
      latestRevision.merge(revision.key().adjusted(), revision,
          (a, b) -> a.key().sequence() > b.key().sequence() ? a : b);
    }
    for (ChargeLine line : linesOf(LineKind.FREE_MINUTES).values()) {
      ServicePackage p = packages.computeIfAbsent(line.packageId(), id -> catalog.find(id).orElseThrow());
      Grant grant = Grant.of(line, p, zone);
      ChargeLine revision = latestRevision.get(line.key());
      expected.put(line.key().toString(), revision == null ? grant : GrantRevision.of(revision, zone).applyTo(grant, 0));
    }
    Map<String, Grant> actual = new TreeMap<>();
    grants.forEach((id, balance) -> actual.put(id, balance.grant()));
    if (!expected.equals(actual)) {
      List<String> diff = new ArrayList<>();
      Set<String> ids = new TreeSet<>(expected.keySet());
      ids.addAll(actual.keySet());
      for (String id : ids) {
        if (!Objects.equals(expected.get(id), actual.get(id))) {
          diff.add(id + ": expected " + expected.get(id) + ", stored " + actual.get(id));
        }
      }
      fail(context + ": the grants are not those of the journaled FREE_MINUTES lines (" + diff.size()
          + " differ): " + diff.subList(0, Math.min(5, diff.size())));
    }
    assertEquals(Set.of(), revoked, context + ": revoked grants");
    grants.forEach((id, balance) -> assertEquals(0, balance.usedSeconds(), context + ": used seconds of " + id));
  }

  /** Asserts that every balance row is the signed sum of its customer's credit entries, and no sum lacks its row. */
  void assertBalancesAreTheirEntries(String context) {
    assertEquals(entrySums(key -> true), nonZeroBalances(), context + ": balances against the credit entries");
  }

  /** Asserts that no balance is below zero. */
  void assertNoNegativeBalance(String context) {
    balances.forEach((key, balance) -> assertTrue(balance.signum() >= 0, context + ": balance of " + key + " is "
        + balance));
  }
}
