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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@link ChargeJournal} over {@code allotment_charge_line} (one row per line, keyed by the line key),
 * {@code allotment_watermark} (one row per assignment) and {@code allotment_pending_line} (one row
 * per intended line not yet committed or abandoned, with the columns of a charge line).
 *
 * <p>Thread-safe. {@link #commit} is one transaction: lines go in as insert-if-absent in chunks of
 * {@value #CHUNK} rows, their pending rows (if any) are deleted, and watermarks go in as an upsert
 * that keeps the later date; a failure anywhere rolls the whole call back. Rows are written in key
 * order so that concurrent commits of overlapping lines always lock keys in the same order and
 * cannot deadlock. {@link #histories} costs two queries per {@value #CHUNK} assignments whatever
 * their history, using the index on (assignment_id, reach_date).
 *
 * <p><b>Pending lines.</b> {@link #intend} inserts the lines whose key is neither committed nor
 * pending, in one statement per chunk. Clearing them costs a commit no extra round trip on
 * PostgreSQL: the chunk's insert statement carries a {@code DELETE} of the chunk's keys from the
 * pending table as a data-modifying CTE; on H2 (embedded, so no round trips) the commit reads the
 * pending keys of the chunk's assignments by the primary key's leading column and deletes those
 * of the chunk's keys (stored now or held before). An {@link #intend} racing a commit of the same
 * key can still insert its row after the commit's delete looked (neither sees the other's
 * uncommitted row), so {@link #pending} leaves out keys the journal holds: what it reports is
 * exactly "intended, neither committed nor abandoned". Such a leftover row is read past, never
 * reported, and stays until a commit of its key (or an abandon) deletes it.
 */
final class JdbcChargeJournal implements ChargeJournal {
  static final String LINES = "allotment_charge_line";
  static final String WATERMARKS = "allotment_watermark";
  static final String PENDING = "allotment_pending_line";

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

  /** Key columns of the pending row {@code p} equal those of the charge line {@code c}. */
  private static final String SAME_KEY = keyMatch("c", "p");

  /** The pending lines of some assignments, none of them committed (see the class comment). */
  private static final String SELECT_PENDING_WHERE = "SELECT " + qualified("p") + " FROM " + PENDING + " p"
      + " WHERE NOT EXISTS (SELECT 1 FROM " + LINES + " c WHERE " + SAME_KEY + ") AND p.assignment_id = ";

  private static final String H2_DELETE_PENDING = "DELETE FROM " + PENDING
      + " WHERE assignment_id = ? AND kind = ? AND key_period_start = ? AND key_sequence = ?";

  private final Database db;
  private final Dialect dialect;
  private final String insertLines;
  private final String raiseWatermarks;
  private final String selectWatermarks;
  private final String selectTails;
  private final String intendLines;
  private final String selectPending;
  /** Deletes pending rows by key: on PostgreSQL a chunk of keys from four key arrays, on H2 one key per batch entry. */
  private final String deletePending;

  JdbcChargeJournal(Database db) {
    this.db = db;
    this.dialect = db.dialect;
    if (dialect == Dialect.POSTGRESQL) {
      // The delete of the chunk's pending rows rides along as a data-modifying CTE: no extra round
      // trip, and with no pending row of the chunk's assignments it costs an empty index probe.
      insertLines = "WITH u AS (SELECT * FROM " + Sql.unnest(COLUMNS) + "),"
          + " cleared AS (DELETE FROM " + PENDING + " p USING u WHERE " + keyMatch("u", "p") + ")"
          + " INSERT INTO " + LINES + " (" + Sql.names(COLUMNS) + ") SELECT " + Sql.names(COLUMNS) + " FROM u"
          + " ORDER BY allotment_ordinal ON CONFLICT DO NOTHING";
      intendLines = Sql.insertUnnest(PENDING, COLUMNS,
          "WHERE NOT EXISTS (SELECT 1 FROM " + LINES + " c WHERE " + keyMatch("c", "u") + ")", "ON CONFLICT DO NOTHING");
      selectPending = SELECT_PENDING_WHERE + "ANY(?::varchar[])";
      deletePending = "DELETE FROM " + PENDING + " p USING unnest(?::varchar[], ?::varchar[], ?::date[], ?::integer[])"
          + " AS k (assignment_id, kind, key_period_start, key_sequence) WHERE " + keyMatch("k", "p");
      raiseWatermarks = Sql.insertUnnest(WATERMARKS, WATERMARK_COLUMNS,
          "ON CONFLICT (assignment_id) DO UPDATE SET decided_through = EXCLUDED.decided_through"
              + " WHERE " + WATERMARKS + ".decided_through < EXCLUDED.decided_through");
      selectWatermarks = "SELECT assignment_id, decided_through FROM " + WATERMARKS
          + " WHERE assignment_id = ANY(?::varchar[])";
      selectTails = "SELECT " + qualified("l") + " FROM unnest(?::varchar[], ?::date[]) AS r (assignment_id, cutoff)"
          + " JOIN " + LINES + " l ON l.assignment_id = r.assignment_id AND l.reach_date >= r.cutoff";
    } else {
      insertLines = Sql.insertIfAbsent(dialect, LINES, COLUMNS, KEY_COLUMNS);
      intendLines = Sql.merge(PENDING, COLUMNS, KEY_COLUMNS,
          "NOT EXISTS (SELECT 1 FROM " + LINES + " c WHERE " + keyMatch("c", "s") + ")");
      selectPending = SELECT_PENDING_WHERE + "ANY(?)";
      deletePending = H2_DELETE_PENDING;
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

  /** {@code a.key = b.key} for every key column. */
  private static String keyMatch(String a, String b) {
    return KEY_COLUMNS.stream().map(k -> a + "." + k + " = " + b + "." + k).collect(Collectors.joining(" AND "));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: the lines not held are inserted, the pending rows of every key of
   * {@code lines} (held before or not) are deleted, and the watermarks are raised.
   */
  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    Objects.requireNonNull(lines, "lines");
    Objects.requireNonNull(watermarks, "watermarks");
    List<ChargeLine> ordered = inKeyOrder(lines);
    List<Object[]> rows = rows(ordered);
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
          if (dialect == Dialect.H2) {
            clearPendingH2(connection, ordered);
          }
          List<Object[]> watermarkRows = new ArrayList<>(marks.size());
          marks.forEach((id, date) -> watermarkRows.add(new Object[] {id, date}));
          Sql.writeRows(dialect, connection, raiseWatermarks, WATERMARK_COLUMNS, watermarkRows, CHUNK);
          return added;
        });
  }

  /** The lines in key order, checked for null; the sort is stable, so of two lines with one key the first stays first. */
  private static List<ChargeLine> inKeyOrder(List<ChargeLine> lines) {
    List<ChargeLine> ordered = new ArrayList<>(lines.size());
    for (ChargeLine line : lines) {
      ordered.add(Objects.requireNonNull(line, "line"));
    }
    // Key order for deadlock freedom.
    ordered.sort(Comparator.comparing(ChargeLine::key));
    return ordered;
  }

  /** The rows of the lines, each checked against its columns before any statement runs. */
  private static List<Object[]> rows(List<ChargeLine> lines) {
    List<Object[]> rows = new ArrayList<>(lines.size());
    for (ChargeLine line : lines) {
      rows.add(row(line));
    }
    return rows;
  }

  /**
   * H2: deletes the pending rows of the committed keys, chunk by chunk: one indexed read of the
   * chunk's assignments' pending keys, and a delete batch only when some of them are committed now.
   */
  private void clearPendingH2(Connection connection, List<ChargeLine> ordered) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT assignment_id, kind, key_period_start, key_sequence FROM " + PENDING + " WHERE assignment_id = ANY(?)");
        PreparedStatement delete = connection.prepareStatement(H2_DELETE_PENDING)) {
      for (int from = 0; from < ordered.size(); from += CHUNK) {
        List<ChargeLine> chunk = ordered.subList(from, Math.min(ordered.size(), from + CHUNK));
        select.setArray(1, Sql.textArray(connection,
            chunk.stream().map(ChargeLine::assignmentId).distinct().toList()));
        Set<LineKey> pending = new HashSet<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            pending.add(new LineKey(rs.getString(1), LineKind.valueOf(rs.getString(2)),
                Columns.getDate(rs, "key_period_start"), rs.getInt(4)));
          }
        }
        if (pending.isEmpty()) {
          continue;
        }
        int batched = 0;
        for (ChargeLine line : chunk) {
          if (pending.remove(line.key())) {
            bindKey(delete, line.key());
            delete.addBatch();
            batched++;
          }
        }
        if (batched > 0) {
          delete.executeBatch();
        }
      }
    }
  }

  private static void bindKey(PreparedStatement statement, LineKey key) throws SQLException {
    statement.setString(1, key.assignmentId());
    statement.setString(2, key.kind().name());
    statement.setObject(3, key.periodStart());
    statement.setInt(4, key.sequence());
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction: an insert of the lines whose key is neither committed nor pending, in one
   * statement per chunk on PostgreSQL ({@code INSERT ... SELECT ... WHERE NOT EXISTS (committed)
   * ON CONFLICT DO NOTHING}) and one batch per chunk on H2 ({@code MERGE ... WHEN NOT MATCHED AND
   * NOT EXISTS (committed)}). The lines are checked as {@link #commit} checks them (columns,
   * package, currency) before anything is written.
   */
  @Override
  public void intend(List<ChargeLine> lines) {
    Objects.requireNonNull(lines, "lines");
    List<ChargeLine> ordered = inKeyOrder(lines);
    List<Object[]> rows = rows(ordered);
    if (rows.isEmpty()) {
      return;
    }
    db.transaction("record " + rows.size() + " intended charge lines", connection -> {
      checkPackages(connection, ordered);
      Sql.writeRows(dialect, connection, intendLines, COLUMNS, rows, CHUNK);
      return null;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One query per {@value #CHUNK} assignments, on the pending table's primary key, leaving out
   * keys the journal holds (see the class comment). Lines of an assignment come in key order.
   * Ids no text column can hold (see {@link Columns#storable(String)}) have no pending lines.
   */
  @Override
  public Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds) {
    Objects.requireNonNull(assignmentIds, "assignmentIds");
    Set<String> unique = new LinkedHashSet<>();
    for (String id : assignmentIds) {
      if (Columns.storable(Objects.requireNonNull(id, "assignmentId"))) {
        unique.add(id);
      }
    }
    List<String> ids = new ArrayList<>(unique);
    Map<String, List<ChargeLine>> pending = new HashMap<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      // Each attempt reads into a map of its own, so a retried transaction never adds a line twice.
      pending.putAll(db.transaction("read the pending charge lines of " + chunk.size() + " assignments",
          connection -> {
            Map<String, List<ChargeLine>> found = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(selectPending)) {
              statement.setArray(1, Sql.textArray(connection, chunk));
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  ChargeLine line = read(rs);
                  found.computeIfAbsent(line.assignmentId(), k -> new ArrayList<>()).add(line);
                }
              }
            }
            return found;
          }));
    }
    pending.replaceAll((id, lines) -> {
      List<ChargeLine> sorted = new ArrayList<>(lines);
      sorted.sort(Comparator.comparing(ChargeLine::key));
      return List.copyOf(sorted);
    });
    return pending;
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction, deleting in key order: one statement per {@value #CHUNK} keys on
   * PostgreSQL, one batch per {@value #CHUNK} keys on H2. Keys no row can hold (an id that is not
   * {@linkplain Columns#storable(String) storable} or too long, a date outside the {@code DATE}
   * column) are unknown keys, so they are ignored.
   */
  @Override
  public void abandon(Collection<LineKey> keys) {
    Objects.requireNonNull(keys, "keys");
    TreeSet<LineKey> ordered = new TreeSet<>();
    for (LineKey key : keys) {
      if (holdable(Objects.requireNonNull(key, "key"))) {
        ordered.add(key);
      }
    }
    if (ordered.isEmpty()) {
      return;
    }
    List<LineKey> all = new ArrayList<>(ordered);
    db.transaction("abandon " + all.size() + " pending charge lines", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(deletePending)) {
        for (int from = 0; from < all.size(); from += CHUNK) {
          List<LineKey> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
          if (dialect == Dialect.POSTGRESQL) {
            statement.setArray(1, Sql.textArray(connection, chunk.stream().map(LineKey::assignmentId).toList()));
            statement.setArray(2, Sql.textArray(connection, chunk.stream().map(k -> k.kind().name()).toList()));
            statement.setArray(3, Sql.textArray(connection,
                chunk.stream().map(k -> k.periodStart().toString()).toList()));
            statement.setArray(4, Sql.textArray(connection,
                chunk.stream().map(k -> Integer.toString(k.sequence())).toList()));
            statement.executeUpdate();
          } else {
            for (LineKey key : chunk) {
              bindKey(statement, key);
              statement.addBatch();
            }
            statement.executeBatch();
          }
        }
      }
      return null;
    });
  }

  /** False for a key no row can hold, which lookups and deletes then treat as unknown without a statement. */
  private static boolean holdable(LineKey key) {
    return key.assignmentId().length() <= Columns.ID_LENGTH && Columns.storable(key.assignmentId())
        && !key.periodStart().isBefore(Columns.MIN_DATE) && !key.periodStart().isAfter(Columns.MAX_DATE);
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
    Map<String, ChargeHistory> histories = new HashMap<>(Math.max(16, requests.size() * 2));
    for (HistoryRequest request : requests) {
      String id = Objects.requireNonNull(request, "request").assignmentId();
      if (Columns.storable(id)) {
        byId.put(id, request);
      } else {
        // No row holds such an id (see Columns.storable), and PostgreSQL would refuse it in the array.
        histories.put(id, ChargeHistory.EMPTY);
      }
    }
    List<HistoryRequest> all = new ArrayList<>(byId.values());
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
      // No watermark: every line. The earliest storable date stands for "no cutoff" so the index still
      // applies; so does it for a cutoff before it (an early reprice marker), which every stored line
      // reaches too. A cutoff after the last storable date (a watermark of 9999-12-31) stays as it is:
      // no stored line reaches it, and the check below applies the exact cutoff anyway.
      LocalDate sqlCutoff = cutoff.filter(c -> c.isAfter(Columns.MIN_DATE)).orElse(Columns.MIN_DATE);
      cutoffTexts.add(Columns.dateText(sqlCutoff));
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
    if (!holdable(key)) {
      return Optional.empty();
    }
    return db.transaction("find charge line " + key, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(SELECT
          + " WHERE assignment_id = ? AND kind = ? AND key_period_start = ? AND key_sequence = ?")) {
        bindKey(statement, key);
        try (ResultSet rs = statement.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<ChargeLine> lines(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    if (!Columns.storable(assignmentId)) {
      return List.of();
    }
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
        Columns.storable(what + "assignmentId", line.assignmentId()),
        line.kind().name(),
        Columns.date(what + "key period start", line.key().periodStart()),
        line.key().sequence(),
        Columns.storable(what + "customerId", line.customerId()),
        did,
        Columns.storable(what + "packageId", line.packageId()),
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
