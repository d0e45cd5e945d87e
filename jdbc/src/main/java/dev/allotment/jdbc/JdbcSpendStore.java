package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Ids;
import dev.allotment.core.Limits;
import dev.allotment.core.Money;
import dev.allotment.core.SpendQuery;
import dev.allotment.jdbc.JdbcStores.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link SpendStore} over {@code allotment_spend}: keyed rows, summed per query with the index on
 * (customer_id, spend_date).
 *
 * <p>Thread-safe. {@link #spend} is one transaction of one statement per {@value #CHUNK} queries:
 * the queries go in as arrays (customer, start, end), joined to the spend rows and summed per query
 * and currency, so a page of minimum-spend assignments costs one round trip, not one per period.
 */
final class JdbcSpendStore implements SpendStore {
  static final String TABLE = "allotment_spend";

  /** Queries per statement. */
  static final int CHUNK = 1000;

  private static final List<Column> COLUMNS = List.of(
      new Column("entry_key", "VARCHAR(200)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("spend_date", "DATE", Types.DATE),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("amount", Columns.MONEY_TYPE, Types.NUMERIC));

  private final Database db;
  private final String insert;
  private final String sums;

  JdbcSpendStore(Database db) {
    this.db = db;
    this.insert = Sql.insertIfAbsent(db.dialect, TABLE, COLUMNS, List.of("entry_key"));
    String queries = db.dialect == Dialect.POSTGRESQL
        ? "unnest(?::varchar[], ?::date[], ?::date[])"
        : "UNNEST(CAST(? AS VARCHAR(100) ARRAY), CAST(? AS DATE ARRAY), CAST(? AS DATE ARRAY))";
    this.sums = "SELECT q.query_ordinal, s.currency, SUM(s.amount) FROM " + queries
        + " WITH ORDINALITY AS q (customer_id, start_date, end_date, query_ordinal) JOIN " + TABLE + " s"
        + " ON s.customer_id = q.customer_id AND s.spend_date >= q.start_date AND s.spend_date < q.end_date"
        + " GROUP BY q.query_ordinal, s.currency";
  }

  @Override
  public boolean record(String key, String customerId, LocalDate date, Money amount) {
    Ids.requireKey("key", key, Columns.KEY_LENGTH);
    Ids.require("customerId", customerId);
    Limits.date("date", date);
    Objects.requireNonNull(amount, "amount");
    Limits.amount("amount", amount.amount());
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

  /**
   * {@inheritDoc}
   *
   * <p>A query no row can answer (a customer id no column holds, a period outside the years of the
   * {@code DATE} column) is zero without being sent.
   *
   * @throws IllegalArgumentException when spend in a queried period is stored in another currency
   *     than the query's (this store does not convert)
   */
  @Override
  public Map<SpendQuery, Money> spend(Collection<SpendQuery> queries) {
    Objects.requireNonNull(queries, "queries");
    Map<SpendQuery, Money> answers = new HashMap<>();
    List<SpendQuery> asked = new ArrayList<>();
    for (SpendQuery query : new LinkedHashSet<>(queries)) {
      Objects.requireNonNull(query, "query");
      answers.put(query, Money.zero(query.currency()));
      boolean answerable = Columns.storable(query.customerId())
          && query.period().endExclusive().isAfter(Columns.MIN_DATE)
          && !query.period().start().isAfter(Columns.MAX_DATE);
      if (answerable) {
        asked.add(query);
      }
    }
    if (asked.isEmpty()) {
      return answers;
    }
    answers.putAll(db.transaction("sum the spend of " + asked.size() + " periods", connection -> {
      Map<SpendQuery, Money> sums = new HashMap<>();
      try (PreparedStatement statement = connection.prepareStatement(this.sums)) {
        for (int from = 0; from < asked.size(); from += CHUNK) {
          List<SpendQuery> chunk = asked.subList(from, Math.min(asked.size(), from + CHUNK));
          List<String> customers = new ArrayList<>(chunk.size());
          List<String> starts = new ArrayList<>(chunk.size());
          List<String> ends = new ArrayList<>(chunk.size());
          for (SpendQuery query : chunk) {
            customers.add(query.customerId());
            // Clamped to what the column holds, so the text is a date both databases read.
            LocalDate start = query.period().start();
            LocalDate end = query.period().endExclusive();
            starts.add(Columns.dateText(start.isBefore(Columns.MIN_DATE) ? Columns.MIN_DATE : start));
            ends.add(Columns.dateText(end.isAfter(Columns.MAX_DATE) ? Columns.MAX_DATE.plusDays(1) : end));
          }
          statement.setArray(1, Sql.textArray(connection, customers));
          statement.setArray(2, Sql.textArray(connection, starts));
          statement.setArray(3, Sql.textArray(connection, ends));
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              SpendQuery query = chunk.get(rs.getInt(1) - 1);
              Currency spent = Columns.getCurrency(rs, "currency");
              if (!spent.equals(query.currency())) {
                throw new IllegalArgumentException("spend of customer '" + query.customerId() + "' over "
                    + query.period() + " is in " + spent.getCurrencyCode() + ", not "
                    + query.currency().getCurrencyCode());
              }
              sums.put(query, Columns.money(rs.getBigDecimal(3), spent));
            }
          }
        }
      }
      return sums;
    }));
    return answers;
  }
}
