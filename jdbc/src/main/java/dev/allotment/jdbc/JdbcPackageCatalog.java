package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.PackageCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * {@link PackageCatalog} over {@code allotment_package}: one row per package, one column per field.
 * Sets are comma-joined text, the frequency match is its {@code toString()} form and the destination
 * its source text, so a package read back equals the package defined. Text a column cannot keep
 * (U+0000, unpaired surrogates: see {@link Columns#storable(String, String)}) is refused before any
 * statement; {@link #find} of such an id finds nothing.
 *
 * <p>Thread-safe; {@link #define} is one upsert statement, {@link #defineAll} one transaction.
 */
final class JdbcPackageCatalog implements PackageCatalog {
  static final String TABLE = "allotment_package";

  static final List<Column> COLUMNS = List.of(
      new Column("id", "VARCHAR(100)", Types.VARCHAR),
      new Column("name", "VARCHAR", Types.VARCHAR),
      new Column("description", "VARCHAR", Types.VARCHAR),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("retail", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("setup_retail", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("setup_cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("frequency", "VARCHAR(16)", Types.VARCHAR),
      new Column("frequency_match", "VARCHAR(200)", Types.VARCHAR),
      new Column("minimum_days", "INTEGER", Types.INTEGER),
      new Column("types", "VARCHAR(200)", Types.VARCHAR),
      new Column("destination", "VARCHAR", Types.VARCHAR),
      new Column("minimum_spend", "BOOLEAN", Types.BOOLEAN),
      new Column("features", "VARCHAR", Types.VARCHAR),
      new Column("first_period", "VARCHAR(16)", Types.VARCHAR),
      new Column("month_end", "VARCHAR(16)", Types.VARCHAR),
      new Column("rounding_increment_seconds", "INTEGER", Types.INTEGER),
      new Column("notification_days", "INTEGER", Types.INTEGER),
      new Column("low_balance_percent", "INTEGER", Types.INTEGER));

  private static final String SELECT = "SELECT " + Sql.names(COLUMNS) + " FROM " + TABLE;

  private final Database db;
  private final String upsert;

  JdbcPackageCatalog(Database db) {
    this.db = db;
    this.upsert = upsert(db.dialect);
  }

  private static String upsert(Dialect dialect) {
    if (dialect == Dialect.POSTGRESQL) {
      StringJoiner set = new StringJoiner(", ");
      for (Column column : COLUMNS.subList(1, COLUMNS.size())) {
        set.add(column.name() + " = EXCLUDED." + column.name());
      }
      return "INSERT INTO " + TABLE + " (" + Sql.names(COLUMNS) + ") VALUES (" + "?, ".repeat(COLUMNS.size() - 1)
          + "?) ON CONFLICT (id) DO UPDATE SET " + set + ", defined_at = CURRENT_TIMESTAMP";
    }
    // H2's own upsert; two first definitions racing end in a duplicate key, which the transaction retries.
    return "MERGE INTO " + TABLE + " (" + Sql.names(COLUMNS) + ", defined_at) KEY (id) VALUES ("
        + "?, ".repeat(COLUMNS.size()) + "CURRENT_TIMESTAMP)";
  }

  @Override
  public void define(ServicePackage p) {
    Objects.requireNonNull(p, "servicePackage");
    defineAll(List.of(p));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: every row is checked before the first statement, then every package is
   * upserted, and a failure of any rolls back all of them.
   */
  @Override
  public void defineAll(List<ServicePackage> packages) {
    Objects.requireNonNull(packages, "packages");
    List<Object[]> rows = new ArrayList<>(packages.size());
    for (ServicePackage p : packages) {
      rows.add(row(Objects.requireNonNull(p, "servicePackage")));
    }
    if (rows.isEmpty()) {
      return;
    }
    String what = packages.size() == 1 ? "define package '" + packages.get(0).id() + "'"
        : "define " + packages.size() + " packages";
    db.transaction(what, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(upsert)) {
        int updated = 0;
        for (Object[] row : rows) {
          Sql.bind(statement, COLUMNS, row);
          updated += statement.executeUpdate();
        }
        return updated;
      }
    });
  }

  static Object[] row(ServicePackage p) {
    String what = "package '" + p.id() + "' ";
    return new Object[] {
        Columns.storable("package id", p.id()), Columns.storable(what + "name", p.name()),
        Columns.storable(what + "description", p.description()), p.currency().getCurrencyCode(),
        Columns.amount(what + "retail", p.retail()),
        Columns.amount(what + "cost", p.cost()),
        Columns.amount(what + "setupRetail", p.setupRetail()),
        Columns.amount(what + "setupCost", p.setupCost()),
        p.frequency().name(), p.frequencyMatch().toString(), p.minimumDays(),
        Columns.encodeSet(p.types().stream().map(Enum::name).toList()),
        p.destination().map(d -> Columns.storable(what + "destination", d.source())).orElse(null),
        p.minimumSpend(), Columns.storable(what + "features", Columns.encodeSet(p.features())), p.firstPeriod().name(),
        p.monthEnd().name(),
        p.roundingIncrementSeconds(), p.notificationDays(), p.lowBalancePercent()};
  }

  @Override
  public Optional<ServicePackage> find(String packageId) {
    Objects.requireNonNull(packageId, "packageId");
    if (!Columns.storable(packageId)) {
      return Optional.empty();
    }
    return db.transaction("find package '" + packageId + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(SELECT + " WHERE id = ?")) {
        statement.setString(1, packageId);
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<ServicePackage> all() {
    List<ServicePackage> all = db.transaction("list packages", connection -> {
      List<ServicePackage> packages = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(SELECT + " ORDER BY id");
          ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          packages.add(read(rs));
        }
      }
      return packages;
    });
    // The SPI promises String.compareTo order; sorting a small list here makes that independent of collations.
    all.sort(Comparator.comparing(ServicePackage::id));
    return List.copyOf(all);
  }

  /** The package with these ids' currencies, for checking lines against their packages. */
  static java.util.Map<String, Currency> currencies(Connection connection, Dialect dialect, List<String> ids)
      throws SQLException {
    java.util.Map<String, Currency> currencies = new java.util.HashMap<>();
    String sql = "SELECT id, currency FROM " + TABLE + " WHERE id = ANY(" + (dialect == Dialect.POSTGRESQL
        ? "?::varchar[]" : "?") + ")";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, Sql.textArray(connection, ids));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          currencies.put(rs.getString(1), Columns.getCurrency(rs, "currency"));
        }
      }
    }
    return currencies;
  }

  private static ServicePackage read(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      Currency currency = Columns.getCurrency(rs, "currency");
      ServicePackageBuilder builder = ServicePackage.builder(id)
          .name(rs.getString("name"))
          .description(rs.getString("description"))
          .currency(currency)
          .retail(Columns.getMoney(rs, "retail", currency).amount())
          .cost(Columns.getMoney(rs, "cost", currency).amount())
          .setupRetail(Columns.getMoney(rs, "setup_retail", currency).amount())
          .setupCost(Columns.getMoney(rs, "setup_cost", currency).amount())
          .frequency(Frequency.valueOf(rs.getString("frequency")))
          .frequencyMatch(FrequencyMatch.parse(rs.getString("frequency_match")))
          .minimumDays(rs.getInt("minimum_days"))
          .types(Columns.decodeSet(rs.getString("types")).stream().map(PackageType::valueOf).toList())
          .minimumSpend(rs.getBoolean("minimum_spend"))
          .features(Columns.decodeSet(rs.getString("features")))
          .firstPeriod(FirstPeriod.valueOf(rs.getString("first_period")))
          .monthEnd(MonthEnd.valueOf(rs.getString("month_end")))
          .roundingIncrementSeconds(rs.getInt("rounding_increment_seconds"))
          .notificationDays(rs.getInt("notification_days"))
          .lowBalancePercent(rs.getInt("low_balance_percent"));
      String destination = rs.getString("destination");
      if (destination != null) {
        builder.destination(destination);
      }
      return builder.build();
    } catch (IllegalArgumentException e) {
      // Only a row written around the store can fail here; say which one.
      throw new JdbcStoreException("package '" + id + "' as stored in " + TABLE + " is not valid: " + e.getMessage());
    }
  }
}
