package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.Money;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * {@link SpendStore} over {@code allotment_spend}: keyed rows summed per period with the index on
 * (customer_id, spend_date).
 *
 * <p>Thread-safe.
 */
final class JdbcSpendStore implements SpendStore {
  static final String TABLE = "allotment_spend";

  private static final List<Column> COLUMNS = List.of(
      new Column("entry_key", "VARCHAR(200)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("spend_date", "DATE", Types.DATE),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("amount", Columns.MONEY_TYPE, Types.NUMERIC));

  private final Database db;
  private final String insert;

  JdbcSpendStore(Database db) {
    this.db = db;
    this.insert = Sql.insertIfAbsent(db.dialect, TABLE, COLUMNS, List.of("entry_key"));
  }

  @Override
  public boolean record(String key, String customerId, LocalDate date, Money amount) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(amount, "amount");
    if (key.isBlank() || customerId.isBlank()) {
      throw new IllegalArgumentException("key and customerId must not be blank, were '" + key + "' and '"
          + customerId + "'");
    }
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0, was " + amount);
    }
    Object[] row = {
        Columns.text("spend key", key, Columns.KEY_LENGTH),
        Columns.text("spend customerId", customerId, Columns.ID_LENGTH),
        Columns.date("spend date", date),
        amount.currency().getCurrencyCode(),
        Columns.amount("spend '" + key + "' amount", amount)};
    return db.transaction("record spend '" + key + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(insert)) {
        Sql.bind(statement, COLUMNS, row);
        return statement.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Money spend(String customerId, Currency currency, BillingPeriod period) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(period, "period");
    if (!Columns.storable(customerId)) {
      return Money.zero(currency);
    }
    return db.transaction("sum the spend of customer '" + customerId + "' over " + period, connection -> {
      Money total = Money.zero(currency);
      try (PreparedStatement statement = connection.prepareStatement("SELECT currency, SUM(amount) FROM " + TABLE
          + " WHERE customer_id = ? AND spend_date >= ? AND spend_date < ? GROUP BY currency")) {
        statement.setString(1, customerId);
        statement.setObject(2, period.start());
        statement.setObject(3, period.endExclusive());
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            Currency spent = Columns.getCurrency(rs, "currency");
            if (!spent.equals(currency)) {
              throw new IllegalArgumentException("spend of customer '" + customerId + "' is in "
                  + spent.getCurrencyCode() + ", not " + currency.getCurrencyCode());
            }
            total = total.plus(Money.of(rs.getBigDecimal(2), currency));
          }
        }
      }
      return total;
    });
  }
}
