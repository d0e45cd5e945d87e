package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Money;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.CreditEntry;
import dev.allotment.spi.CreditLedger;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link CreditLedger} over {@code allotment_credit_entry} (one row per key) and
 * {@code allotment_credit_balance} (one running balance per customer and currency, changed in the
 * entry's transaction, so {@link #balance} is one primary-key read).
 *
 * <p>Thread-safe. Every posting first inserts its entry unless the key is held (which decides
 * "already applied"), then moves the balance. A covered debit moves it with one conditional
 * {@code UPDATE ... SET balance = balance - amount WHERE ... AND balance >= amount}: the database
 * locks the row and re-checks the condition against the latest committed balance, so concurrent
 * debits can never overdraw, and no balance is read by Java in between. Keys, then balances, are
 * always locked in ascending order, so concurrent postings cannot deadlock.
 */
final class JdbcCreditLedger implements CreditLedger {
  static final String ENTRIES = "allotment_credit_entry";
  static final String BALANCES = "allotment_credit_balance";

  private static final List<Column> ENTRY_COLUMNS = List.of(
      new Column("entry_key", "VARCHAR(200)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("debit", "BOOLEAN", Types.BOOLEAN),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("amount", Columns.MONEY_TYPE, Types.NUMERIC));

  private static final List<Column> BALANCE_COLUMNS = List.of(
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("balance", Columns.MONEY_TYPE, Types.NUMERIC));

  /**
   * Adds a delta (the third parameter) to a balance, creating it at the delta. H2 recomputes
   * {@code t.balance + s.delta} on the row it locked, so concurrent postings add up; two first
   * postings racing to insert the row end in a duplicate key, which retries the transaction.
   */
  /** PostgreSQL: the tail that turns an insert of (customer_id, currency, balance) into an addition. */
  private static final String PG_ADD_ON_CONFLICT = "ON CONFLICT (customer_id, currency) DO UPDATE SET balance = "
      + BALANCES + ".balance + EXCLUDED.balance";

  private static final String H2_ADD_TO_BALANCE = "MERGE INTO " + BALANCES + " t USING (VALUES"
      + " (CAST(? AS VARCHAR(100)), CAST(? AS CHAR(3)), CAST(? AS " + Columns.MONEY_TYPE + ")))"
      + " s (customer_id, currency, delta) ON t.customer_id = s.customer_id AND t.currency = s.currency"
      + " WHEN MATCHED THEN UPDATE SET balance = t.balance + s.delta"
      + " WHEN NOT MATCHED THEN INSERT (customer_id, currency, balance) VALUES (s.customer_id, s.currency, s.delta)";

  private static final String COVERED_DEBIT = "UPDATE " + BALANCES + " SET balance = balance - ?"
      + " WHERE customer_id = ? AND currency = ? AND balance >= ?";

  private final Database db;
  private final Dialect dialect;
  private final String insertEntry;
  private final String insertEntries;
  private final String addToBalances;
  /** Adds one delta to one balance, creating it when absent; parameters customer, currency, delta. */
  private final String addToBalance;

  JdbcCreditLedger(Database db) {
    this.db = db;
    this.dialect = db.dialect;
    this.insertEntry = Sql.insertIfAbsent(dialect, ENTRIES, ENTRY_COLUMNS, List.of("entry_key"));
    this.insertEntries = dialect == Dialect.POSTGRESQL
        ? Sql.insertUnnest(ENTRIES, ENTRY_COLUMNS, "ON CONFLICT DO NOTHING RETURNING entry_key")
        : insertEntry;
    // Deltas are summed per customer and currency first, so no statement touches a balance twice.
    this.addToBalances = dialect == Dialect.POSTGRESQL
        ? Sql.insertUnnest(BALANCES, BALANCE_COLUMNS, PG_ADD_ON_CONFLICT)
        : H2_ADD_TO_BALANCE;
    this.addToBalance = dialect == Dialect.POSTGRESQL
        ? "INSERT INTO " + BALANCES + " (customer_id, currency, balance) VALUES (?, ?, ?) " + PG_ADD_ON_CONFLICT
        : H2_ADD_TO_BALANCE;
  }

  @Override
  public DebitResult debit(CreditEntry entry, boolean onlyIfCovered) {
    Objects.requireNonNull(entry, "entry");
    Object[] row = row(entry, true);
    return db.transaction("debit credit entry '" + entry.key() + "'", connection -> {
      if (!insertEntry(connection, row)) {
        return DebitResult.ALREADY_APPLIED;
      }
      BigDecimal amount = entry.amount().amount();
      if (!onlyIfCovered) {
        addToBalance(connection, entry.customerId(), entry.amount().currency(), amount.negate());
        return DebitResult.DEBITED;
      }
      try (PreparedStatement statement = connection.prepareStatement(COVERED_DEBIT)) {
        statement.setBigDecimal(1, amount);
        statement.setString(2, entry.customerId());
        statement.setString(3, entry.amount().currency().getCurrencyCode());
        statement.setBigDecimal(4, amount);
        if (statement.executeUpdate() == 1) {
          return DebitResult.DEBITED;
        }
      }
      // No balance row means a zero balance, which cannot cover a positive amount either.
      connection.rollback();
      return DebitResult.INSUFFICIENT_CREDIT;
    });
  }

  @Override
  public List<DebitResult> debitAll(List<CreditEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (CreditEntry entry : entries) {
      rows.add(row(Objects.requireNonNull(entry, "entry"), true));
    }
    if (entries.isEmpty()) {
      return List.of();
    }
    // Insert in key order (stable, so of two entries with one key the first is the one stored).
    List<Integer> order = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing(i -> entries.get(i).key()));
    return db.transaction("debit " + entries.size() + " credit entries", connection -> {
      boolean[] inserted = insertEntries(connection, rows, order);
      List<DebitResult> results = new ArrayList<>(entries.size());
      TreeMap<String, TreeMap<String, BigDecimal>> deltas = new TreeMap<>();
      for (int i = 0; i < entries.size(); i++) {
        CreditEntry entry = entries.get(i);
        if (inserted[i]) {
          results.add(DebitResult.DEBITED);
          deltas.computeIfAbsent(entry.customerId(), c -> new TreeMap<>())
              .merge(entry.amount().currency().getCurrencyCode(), entry.amount().amount().negate(), BigDecimal::add);
        } else {
          results.add(DebitResult.ALREADY_APPLIED);
        }
      }
      // One statement per chunk of balances, not one per customer: a batch of lines of many customers
      // would otherwise cost a round trip per line.
      List<Object[]> balanceRows = new ArrayList<>();
      for (Map.Entry<String, TreeMap<String, BigDecimal>> customer : deltas.entrySet()) {
        for (Map.Entry<String, BigDecimal> delta : customer.getValue().entrySet()) {
          balanceRows.add(new Object[] {customer.getKey(), delta.getKey(), delta.getValue()});
        }
      }
      Sql.writeRows(dialect, connection, addToBalances, BALANCE_COLUMNS, balanceRows, JdbcChargeJournal.CHUNK);
      return results;
    });
  }

  /** Inserts the rows in {@code order}; element i of the result says whether {@code rows.get(i)} was stored. */
  private boolean[] insertEntries(Connection connection, List<Object[]> rows, List<Integer> order)
      throws SQLException {
    boolean[] inserted = new boolean[rows.size()];
    try (PreparedStatement statement = connection.prepareStatement(insertEntries)) {
      for (int from = 0; from < order.size(); from += JdbcChargeJournal.CHUNK) {
        List<Integer> chunk = order.subList(from, Math.min(order.size(), from + JdbcChargeJournal.CHUNK));
        if (dialect == Dialect.POSTGRESQL) {
          Sql.bindArrays(connection, statement, ENTRY_COLUMNS, chunk.stream().map(rows::get).toList());
          Set<String> stored = new HashSet<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              stored.add(rs.getString(1));
            }
          }
          for (int i : chunk) {
            // The first entry of a key in order is the one inserted; later ones with that key were skipped.
            if (stored.remove((String) rows.get(i)[0])) {
              inserted[i] = true;
            }
          }
        } else {
          for (int i : chunk) {
            Sql.bind(statement, ENTRY_COLUMNS, rows.get(i));
            statement.addBatch();
          }
          int[] counts = statement.executeBatch();
          for (int k = 0; k < chunk.size(); k++) {
            inserted[chunk.get(k)] = counts[k] == 1;
          }
        }
      }
    }
    return inserted;
  }

  @Override
  public boolean credit(CreditEntry entry) {
    Objects.requireNonNull(entry, "entry");
    Object[] row = row(entry, false);
    return db.transaction("credit credit entry '" + entry.key() + "'", connection -> {
      if (!insertEntry(connection, row)) {
        return false;
      }
      addToBalance(connection, entry.customerId(), entry.amount().currency(), entry.amount().amount());
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
          return rs.next() ? Money.of(rs.getBigDecimal(1), currency) : zero;
        }
      }
    });
  }

  @Override
  public Optional<Posting> find(String key) {
    Objects.requireNonNull(key, "key");
    if (!Columns.storable(key)) {
      return Optional.empty();
    }
    return db.transaction("find credit entry '" + key + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT customer_id, debit, currency, amount FROM " + ENTRIES + " WHERE entry_key = ?")) {
        statement.setString(1, key);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Money amount = Columns.getMoney(rs, "amount", Columns.getCurrency(rs, "currency"));
          return Optional.of(new Posting(new CreditEntry(key, rs.getString("customer_id"), amount),
              rs.getBoolean("debit")));
        }
      }
    });
  }

  private boolean insertEntry(Connection connection, Object[] row) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insertEntry)) {
      Sql.bind(statement, ENTRY_COLUMNS, row);
      return statement.executeUpdate() == 1;
    }
  }

  /** Adds {@code delta} to the balance, creating it at {@code delta} when the customer has none in the currency. */
  private void addToBalance(Connection connection, String customerId, Currency currency, BigDecimal delta)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(addToBalance)) {
      statement.setString(1, customerId);
      statement.setString(2, currency.getCurrencyCode());
      statement.setBigDecimal(3, delta);
      statement.executeUpdate();
    }
  }

  private static Object[] row(CreditEntry entry, boolean debit) {
    String what = "credit entry '" + entry.key() + "' ";
    return new Object[] {
        Columns.text("credit entry key", entry.key(), Columns.KEY_LENGTH),
        Columns.text(what + "customerId", entry.customerId(), Columns.ID_LENGTH),
        debit,
        entry.amount().currency().getCurrencyCode(),
        Columns.amount(what + "amount", entry.amount())};
  }
}
