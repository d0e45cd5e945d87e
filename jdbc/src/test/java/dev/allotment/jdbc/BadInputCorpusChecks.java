package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Frequency;
import dev.allotment.core.Money;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageRecord;
import dev.allotment.engine.CatalogJson;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.MutableBillingClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input of the {@link BadInputCorpus} is refused by every store alike: an
 * {@link IllegalArgumentException} whose message names the field, and the store exactly as it was
 * before (the count and a checksum of everything readable through the stores, and for a database
 * of every row of every table). The in-memory, H2 and PostgreSQL subclasses run the same corpus,
 * so they give the same verdict; before core held every bound, the in-memory stores took inputs
 * the databases refused.
 */
abstract class BadInputCorpusChecks {
  /** Fresh, empty stores for one case. */
  abstract BillingStores freshStores();

  /** The database behind the stores, for the table rows; empty in memory. */
  abstract Optional<DataSource> dataSource();

  static Stream<BadInputCorpus.Case> cases() {
    return BadInputCorpus.cases();
  }

  /** A little of everything: packages, assignments, a charge, credit, a call taking free minutes. */
  private static PackageBilling seeded(BillingStores stores) {
    PackageBilling billing = PackageBilling.builder()
        .clock(MutableBillingClock.startOf(BadInputCorpus.JAN_1, ZoneOffset.UTC)).stores(stores).build();
    billing.define(ServicePackage.builder("m").name("Monthly").currency("USD").retail("10.00").cost("4.00")
        .frequency(Frequency.MONTHLY).build());
    billing.define(ServicePackage.builder("fm").name("UK minutes").currency("USD").retail("5.00")
        .frequency(Frequency.MONTHLY).types(PackageType.FREE_MINUTES).destination("^44|^(\\d*4){2}$").build());
    billing.assign(Assignment.builder("a1").customerId("c1").packageId("m").startDate(BadInputCorpus.JAN_1)
        .autoDecrementCredit(true).build());
    billing.assign(Assignment.builder("a2").customerId("c2").packageId("fm").startDate(BadInputCorpus.JAN_1)
        .minutes(100).build());
    billing.run(BadInputCorpus.JAN_1.plusMonths(2), RunMode.CHARGE);
    stores.creditLedger().credit(new CreditEntry("top-1", "c1", Money.of("50.00", "USD")));
    billing.consume(UsageRecord.of("u1", "c2", "442079460000", BadInputCorpus.CALL, 125));
    return billing;
  }

  /** The count and checksum of everything the stores hold, read through the stores and from the tables. */
  private String snapshot(PackageBilling billing) {
    List<String> items = new ArrayList<>();
    items.add(CatalogJson.write(billing.packages()));
    for (Assignment a : billing.stores().assignments().page(Optional.empty(), Optional.empty(), 1000)) {
      items.add(a.toString() + " " + a.version());
      for (ChargeLine line : billing.charged(a.id())) {
        items.add(line.key() + " " + line.retail() + " " + line.cost() + " " + line.grantSeconds());
      }
    }
    for (String customer : List.of("c1", "c2")) {
      items.add(customer + " " + billing.stores().creditLedger().balance(customer, Currency.getInstance("USD")));
      billing.balances(customer, BadInputCorpus.CALL).forEach(g -> items.add(g.toString()));
    }
    items.add(String.valueOf(billing.consumption("u1")));
    dataSource().ifPresent(ds -> items.addAll(tableRows(ds)));
    return items.size() + " items, sha-256 " + sha256(String.join("\n", items));
  }

  private static List<String> tableRows(DataSource dataSource) {
    List<String> rows = new ArrayList<>();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : Migrations.TABLES) {
        List<String> tableRows = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder row = new StringBuilder(table);
            for (int i = 1; i <= columns; i++) {
              row.append('|').append(rs.getString(i));
            }
            tableRows.add(row.toString());
          }
        }
        tableRows.sort(null);
        rows.add(table + ": " + tableRows.size() + " rows");
        rows.addAll(tableRows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the tables", e);
    }
    return rows;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedNamingTheFieldAndChangesNothing(BadInputCorpus.Case bad) {
    PackageBilling billing = seeded(freshStores());
    String before = snapshot(billing);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.attempt().accept(billing),
        bad.name());

    assertTrue(e.getMessage().contains(bad.field()), () -> "'" + e.getMessage() + "' should name " + bad.field());
    assertTrue(e.getMessage().length() < 2_000, "a message for people, not a dump: " + e.getMessage().length());
    assertEquals(before, snapshot(billing), "the store is as it was");
  }
}
