package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.Money;
import dev.allotment.core.Proration;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.ChargeJournal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@link ChargeJournal} over {@code allotment_charge_line} (one row per line, keyed by the line key)
 * and {@code allotment_watermark} (one row per assignment).
 *
 * <p>Thread-safe. {@link #commit} is one transaction: lines go in as insert-if-absent in chunks of
 * {@value #CHUNK} rows, watermarks as an upsert that keeps the later date; a failure anywhere rolls
 * the whole call back. Rows are written in key order so that concurrent commits of overlapping
 * lines always lock keys in the same order and cannot deadlock. {@link #histories} costs two
 * queries per {@value #CHUNK} assignments whatever their history, using the index on
 * (assignment_id, reach_date).
 */
final class JdbcChargeJournal implements ChargeJournal {
  static final String LINES = "allotment_charge_line";
  static final String WATERMARKS = "allotment_watermark";

  /** Rows per statement (PostgreSQL) or per JDBC batch (H2), and assignments per history query. */
  static final int CHUNK = 1000;

  static final List<Column> COLUMNS = List.of(
      new Column("assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("kind", "VARCHAR(16)", Types.VARCHAR),
      new Column("key_period_start", "DATE", Types.DATE),
      new Column("key_sequence", "INTEGER", Types.INTEGER),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("package_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("period_start", "DATE", Types.DATE),
      new Column("period_end", "DATE", Types.DATE),
      new Column("due_date", "DATE", Types.DATE),
      new Column("reach_date", "DATE", Types.DATE),
      new Column("quantity", "INTEGER", Types.INTEGER),
      new Column("currency", "CHAR(3)", Types.CHAR),
      new Column("unit_price", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("unit_cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("proration_days", "BIGINT", Types.BIGINT),
      new Column("proration_of_days", "BIGINT", Types.BIGINT),
      new Column("retail", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("grant_seconds", "BIGINT", Types.BIGINT),
      new Column("grant_valid_until", "DATE", Types.DATE),
      new Column("auto_decrement", "BOOLEAN", Types.BOOLEAN));

  private static final List<String> KEY_COLUMNS = List.of("assignment_id", "kind", "key_period_start", "key_sequence");

  private static final List<Column> WATERMARK_COLUMNS = List.of(
      new Column("assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("decided_through", "DATE", Types.DATE));

  private static final String SELECT = "SELECT " + Sql.names(COLUMNS) + " FROM " + LINES;

  private final Database db;
  private final Dialect dialect;
  private final String insertLines;
  private final String raiseWatermarks;
  private final String selectWatermarks;
  private final String selectTails;

  JdbcChargeJournal(Database db) {
    this.db = db;
    this.dialect = db.dialect;
    if (dialect == Dialect.POSTGRESQL) {
      insertLines = Sql.insertUnnest(LINES, COLUMNS, "ON CONFLICT DO NOTHING");
      raiseWatermarks = Sql.insertUnnest(WATERMARKS, WATERMARK_COLUMNS,
          "ON CONFLICT (assignment_id) DO UPDATE SET decided_through = EXCLUDED.decided_through"
              + " WHERE " + WATERMARKS + ".decided_through < EXCLUDED.decided_through");
      selectWatermarks = "SELECT assignment_id, decided_through FROM " + WATERMARKS
          + " WHERE assignment_id = ANY(?::varchar[])";
      selectTails = "SELECT " + qualified("l") + " FROM unnest(?::varchar[], ?::date[]) AS r (assignment_id, cutoff)"
          + " JOIN " + LINES + " l ON l.assignment_id = r.assignment_id AND l.reach_date >= r.cutoff";
    } else {
      insertLines = Sql.insertIfAbsent(dialect, LINES, COLUMNS, KEY_COLUMNS);
      // H2 re-evaluates WHEN MATCHED AND ... on the row it locked, so a concurrent, later watermark is never lowered.
      raiseWatermarks = "MERGE INTO " + WATERMARKS + " t USING (VALUES (CAST(? AS VARCHAR(100)), CAST(? AS DATE)))"
          + " s (assignment_id, decided_through) ON t.assignment_id = s.assignment_id"
          + " WHEN MATCHED AND t.decided_through < s.decided_through THEN UPDATE SET decided_through = s.decided_through"
          + " WHEN NOT MATCHED THEN INSERT (assignment_id, decided_through) VALUES (s.assignment_id, s.decided_through)";
      selectWatermarks = "SELECT assignment_id, decided_through FROM " + WATERMARKS + " WHERE assignment_id = ANY(?)";
      selectTails = "SELECT " + qualified("l")
          + " FROM UNNEST(CAST(? AS VARCHAR(100) ARRAY), CAST(? AS DATE ARRAY)) AS r (assignment_id, cutoff)"
          + " JOIN " + LINES + " l ON l.assignment_id = r.assignment_id AND l.reach_date >= r.cutoff";
    }
  }

  private static String qualified(String alias) {
    return COLUMNS.stream().map(c -> alias + "." + c.name()).collect(Collectors.joining(", "));
  }

  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(watermarks, "watermarks");
    List<ChargeLine> ordered = new ArrayList<>(lines.size());
    for (ChargeLine line : lines) {
      ordered.add(Objects.requireNonNull(line, "line"));
    }
    // Key order for deadlock freedom; the sort is stable, so of two lines with one key the first still wins.
    ordered.sort(Comparator.comparing(ChargeLine::key));
    List<Object[]> rows = new ArrayList<>(ordered.size());
    for (ChargeLine line : ordered) {
      rows.add(row(line));
    }
    TreeMap<String, LocalDate> marks = new TreeMap<>();
    for (Map.Entry<String, LocalDate> mark : watermarks.entrySet()) {
      String assignmentId = Objects.requireNonNull(mark.getKey(), "watermark assignment id");
      Columns.text("watermark assignment id", assignmentId, Columns.ID_LENGTH);
      marks.put(assignmentId, Columns.date("watermark of assignment '" + assignmentId + "'",
          Objects.requireNonNull(mark.getValue(), "watermark")));
    }
    if (rows.isEmpty() && marks.isEmpty()) {
      return 0;
    }
    return db.transaction("commit " + rows.size() + " charge lines and " + marks.size() + " watermarks",
        connection -> {
          checkPackages(connection, ordered);
          int added = Sql.writeRows(dialect, connection, insertLines, COLUMNS, rows, CHUNK);
          List<Object[]> watermarkRows = new ArrayList<>(marks.size());
          marks.forEach((id, date) -> watermarkRows.add(new Object[] {id, date}));
          Sql.writeRows(dialect, connection, raiseWatermarks, WATERMARK_COLUMNS, watermarkRows, CHUNK);
          return added;
        });
  }

  /** Refuses lines whose package the catalog lacks or bills in another currency, before anything is written. */
  private void checkPackages(Connection connection, List<ChargeLine> lines) throws SQLException {
    if (lines.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(lines.stream().map(ChargeLine::packageId)
        .collect(Collectors.toCollection(LinkedHashSet::new)));
    Map<String, Currency> currencies = JdbcPackageCatalog.currencies(connection, dialect, ids);
    for (ChargeLine line : lines) {
      Currency currency = currencies.get(line.packageId());
      if (currency == null) {
        throw new IllegalArgumentException("line " + line.key() + " names package '" + line.packageId()
            + "', which the catalog does not hold");
      }
      if (!currency.equals(line.retail().currency())) {
        throw new IllegalArgumentException("line " + line.key() + " is in " + line.retail().currency().getCurrencyCode()
            + ", but package '" + line.packageId() + "' bills in " + currency.getCurrencyCode());
      }
    }
  }

  @Override
  public Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    Map<String, HistoryRequest> byId = new LinkedHashMap<>();
    for (HistoryRequest request : requests) {
      byId.put(Objects.requireNonNull(request, "request").assignmentId(), request);
    }
    List<HistoryRequest> all = new ArrayList<>(byId.values());
    Map<String, ChargeHistory> histories = new HashMap<>(Math.max(16, all.size() * 2));
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<HistoryRequest> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      histories.putAll(db.transaction("read the charge histories of " + chunk.size() + " assignments",
          connection -> histories(connection, chunk)));
    }
    return histories;
  }

  /**
   * Two queries: the watermarks, then every line reaching the cutoff each watermark implies. Read
   * committed is enough: a commit between the two only raises a watermark and adds lines, so the
   * second query returns a superset of what the first watermark needs, and more lines are harmless.
   */
  private Map<String, ChargeHistory> histories(Connection connection, List<HistoryRequest> requests)
      throws SQLException {
    List<String> ids = requests.stream().map(HistoryRequest::assignmentId).toList();
    Map<String, LocalDate> marks = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(selectWatermarks)) {
      statement.setArray(1, Sql.textArray(connection, ids));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          marks.put(rs.getString(1), Columns.getDate(rs, "decided_through"));
        }
      }
    }
    Map<String, Optional<LocalDate>> cutoffs = new HashMap<>();
    List<String> cutoffTexts = new ArrayList<>(requests.size());
    for (HistoryRequest request : requests) {
      Optional<LocalDate> cutoff = request.cutoff(Optional.ofNullable(marks.get(request.assignmentId())));
      cutoffs.put(request.assignmentId(), cutoff);
      // No watermark: every line. The earliest storable date stands for "no cutoff" so the index still applies.
      cutoffTexts.add(cutoff.orElse(Columns.MIN_DATE).toString());
    }
    Map<String, List<ChargeLine>> lines = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(selectTails)) {
      statement.setArray(1, Sql.textArray(connection, ids));
      statement.setArray(2, Sql.textArray(connection, cutoffTexts));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ChargeLine line = read(rs);
          // The SQL cutoff is the same rule; the check keeps this store exactly as the SPI defines it.
          if (HistoryRequest.needed(line, cutoffs.get(line.assignmentId()))) {
            lines.computeIfAbsent(line.assignmentId(), k -> new ArrayList<>()).add(line);
          }
        }
      }
    }
    Map<String, ChargeHistory> histories = new HashMap<>();
    for (HistoryRequest request : requests) {
      String id = request.assignmentId();
      Optional<LocalDate> watermark = Optional.ofNullable(marks.get(id));
      List<ChargeLine> held = lines.getOrDefault(id, List.of());
      if (watermark.isEmpty() && held.isEmpty()) {
        histories.put(id, ChargeHistory.EMPTY);
      } else {
        List<ChargeLine> sorted = new ArrayList<>(held);
        sorted.sort(Comparator.comparing(ChargeLine::key));
        histories.put(id, new ChargeHistory(watermark, sorted));
      }
    }
    return histories;
  }

  @Override
  public Optional<ChargeLine> find(LineKey key) {
    Objects.requireNonNull(key, "key");
    return db.transaction("find charge line " + key, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(SELECT
          + " WHERE assignment_id = ? AND kind = ? AND key_period_start = ? AND key_sequence = ?")) {
        statement.setString(1, key.assignmentId());
        statement.setString(2, key.kind().name());
        statement.setObject(3, key.periodStart());
        statement.setInt(4, key.sequence());
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<ChargeLine> lines(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    List<ChargeLine> lines = db.transaction("read the charge lines of assignment '" + assignmentId + "'",
        connection -> {
          List<ChargeLine> found = new ArrayList<>();
          try (PreparedStatement statement = connection.prepareStatement(SELECT + " WHERE assignment_id = ?")) {
            statement.setString(1, assignmentId);
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                found.add(read(rs));
              }
            }
          }
          return found;
        });
    // LineKey order (period start before kind) is not a column order; sort here.
    lines.sort(Comparator.comparing(ChargeLine::key));
    return lines;
  }

  /** The row of a line, in column order, after checking that every column can hold its value. */
  private static Object[] row(ChargeLine line) {
    String what = "line " + line.key() + " ";
    String did = line.did().map(d -> Columns.text(what + "did", d, Columns.DID_LENGTH)).orElse(null);
    LocalDate reach = line.dueDate().isAfter(line.period().endExclusive()) ? line.dueDate()
        : line.period().endExclusive();
    Currency currency = line.retail().currency();
    return new Object[] {
        line.assignmentId(),
        line.kind().name(),
        Columns.date(what + "key period start", line.key().periodStart()),
        line.key().sequence(),
        line.customerId(),
        did,
        line.packageId(),
        Columns.date(what + "period start", line.period().start()),
        Columns.date(what + "period end", line.period().endExclusive()),
        Columns.date(what + "dueDate", line.dueDate()),
        reach,
        line.quantity(),
        currency.getCurrencyCode(),
        Columns.amount(what + "unitPrice", line.unitPrice()),
        Columns.amount(what + "unitCost", line.unitCost()),
        line.proration().days(),
        line.proration().ofDays(),
        Columns.amount(what + "retail", line.retail()),
        Columns.amount(what + "cost", line.cost()),
        line.grantSeconds(),
        line.grantValidUntil().map(d -> Columns.date(what + "grantValidUntil", d)).orElse(null),
        line.autoDecrement()};
  }

  private static ChargeLine read(ResultSet rs) throws SQLException {
    String assignmentId = rs.getString("assignment_id");
    try {
      LineKey key = new LineKey(assignmentId, LineKind.valueOf(rs.getString("kind")),
          Columns.getDate(rs, "key_period_start"), rs.getInt("key_sequence"));
      Currency currency = Columns.getCurrency(rs, "currency");
      Money unitPrice = Columns.getMoney(rs, "unit_price", currency);
      Money unitCost = Columns.getMoney(rs, "unit_cost", currency);
      return new ChargeLine(key, rs.getString("customer_id"), Optional.ofNullable(rs.getString("did")),
          rs.getString("package_id"),
          new BillingPeriod(Columns.getDate(rs, "period_start"), Columns.getDate(rs, "period_end")),
          Columns.getDate(rs, "due_date"), rs.getInt("quantity"), unitPrice, unitCost,
          new Proration(rs.getLong("proration_days"), rs.getLong("proration_of_days")),
          Columns.getMoney(rs, "retail", currency), Columns.getMoney(rs, "cost", currency),
          rs.getLong("grant_seconds"), Optional.ofNullable(Columns.getDate(rs, "grant_valid_until")),
          rs.getBoolean("auto_decrement"));
    } catch (IllegalArgumentException e) {
      throw new JdbcStoreException("a charge line of assignment '" + assignmentId + "' as stored in " + LINES
          + " is not valid: " + e.getMessage());
    }
  }
}
