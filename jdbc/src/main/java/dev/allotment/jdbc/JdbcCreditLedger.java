package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Money;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * {@link CreditLedger} over {@code allotment_credit_entry} (one row per key) and
 * {@code allotment_credit_balance} (one running balance per customer and currency, changed in the
 * entry's transaction, so {@link #balance} is one primary-key read). A run's postings are written
 * by {@link JdbcUnitOfWork}, into the same tables and by the same rules.
 *
 * <p>Thread-safe. A credit first inserts its entry unless the key is held (which decides "already
 * applied"), then adds its amount to the balance in one upsert, which the database applies to the
 * row it holds locked, so concurrent postings add up exactly.
 */
final class JdbcCreditLedger implements CreditLedger {
  static final String ENTRIES = "allotment_credit_entry";
  static final String BALANCES = "allotment_credit_balance";

  static final List<Column> ENTRY_COLUMNS = List.of(
      new Column("entry_key", "VARCHAR(200)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("debit", "BOOLEAN", Types.BOOLEAN),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("amount", Columns.MONEY_TYPE, Types.NUMERIC));

  static final List<Column> BALANCE_COLUMNS = List.of(
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("balance", Columns.MONEY_TYPE, Types.NUMERIC));

  /** PostgreSQL: the tail that turns an insert of (customer_id, currency, balance) into an addition. */
  static final String PG_ADD_ON_CONFLICT = "ON CONFLICT (customer_id, currency) DO UPDATE SET balance = "
      + BALANCES + ".balance + EXCLUDED.balance";

  /**
   * H2: adds a delta (the third parameter) to a balance, creating it at the delta. H2 recomputes
   * {@code t.balance + s.delta} on the row it locked, so concurrent postings add up; two first
   * postings racing to insert the row end in a duplicate key, which retries the transaction.
   */
  static final String H2_ADD_TO_BALANCE = "MERGE INTO " + BALANCES + " t USING (VALUES"
      + " (CAST(? AS VARCHAR(100)), CAST(? AS CHAR(3)), CAST(? AS " + Columns.MONEY_TYPE + ")))"
      + " s (customer_id, currency, delta) ON t.customer_id = s.customer_id AND t.currency = s.currency"
      + " WHEN MATCHED THEN UPDATE SET balance = t.balance + s.delta"
      + " WHEN NOT MATCHED THEN INSERT (customer_id, currency, balance) VALUES (s.customer_id, s.currency, s.delta)";

  private final Database db;
  private final String insertEntry;
  /** Adds one delta to one balance, creating it when absent; parameters customer, currency, delta. */
  private final String addToBalance;

  JdbcCreditLedger(Database db) {
    this.db = db;
    this.insertEntry = Sql.insertIfAbsent(db.dialect, ENTRIES, ENTRY_COLUMNS, List.of("entry_key"));
    this.addToBalance = db.dialect == Dialect.POSTGRESQL
        ? "INSERT INTO " + BALANCES + " (customer_id, currency, balance) VALUES (?, ?, ?) " + PG_ADD_ON_CONFLICT
        : H2_ADD_TO_BALANCE;
  }

  @Override
  public boolean credit(CreditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Object[] row = row(entry, false);
    return db.transaction("credit credit entry '" + entry.key() + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(insertEntry)) {
        Sql.bind(statement, ENTRY_COLUMNS, row);
        if (statement.executeUpdate() != 1) {
          return false;
        }
      }
      try (PreparedStatement statement = connection.prepareStatement(addToBalance)) {
        statement.setString(1, entry.customerId());
        statement.setString(2, entry.amount().currency().getCurrencyCode());
        statement.setBigDecimal(3, (BigDecimal) row[4]);
        statement.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public Money balance(String customerId, Currency currency) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(currency, "currency");
    Money zero = Money.zero(currency);
    if (!Columns.storable(customerId)) {
      return zero;
    }
    return db.transaction("read the balance of customer '" + customerId + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT balance FROM " + BALANCES + " WHERE customer_id = ? AND currency = ?")) {
        statement.setString(1, customerId);
        statement.setString(2, currency.getCurrencyCode());
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Columns.money(rs.getBigDecimal(1), currency) : zero;
        }
      }
    });
  }

  /** The row of an entry, in {@link #ENTRY_COLUMNS} order, after checking that every column can hold its value. */
  static Object[] row(CreditEntry entry, boolean debit) {
    String what = "credit entry '" + entry.key() + "' ";
    return new Object[] {
        Columns.text("credit entry key", entry.key(), Columns.KEY_LENGTH),
        Columns.text(what + "customerId", entry.customerId(), Columns.ID_LENGTH),
        debit,
        entry.amount().currency().getCurrencyCode(),
        Columns.amount(what + "amount", entry.amount())};
  }
}
