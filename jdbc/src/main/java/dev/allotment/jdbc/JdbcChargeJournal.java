package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineSubject;
import dev.allotment.core.Proration;
import dev.allotment.core.StoredLine;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@link ChargeJournal} over {@code allotment_charge_line} (one row per line, keyed by the line key)
 * and {@code allotment_watermark} (one row per assignment), as the engine reads them. Lines and
 * watermarks are written by {@link JdbcUnitOfWork}, with the row mapping this class defines.
 *
 * <p>Thread-safe. {@link #histories} costs two queries per {@value #CHUNK} assignments whatever
 * their history, using the index on (assignment_id, reach_date). A row reads back as a
 * {@link StoredLine}'s line; a row no line can be (one written around the store) is reported, never
 * silently changed.
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

  static final List<String> KEY_COLUMNS = List.of("assignment_id", "kind", "key_period_start", "key_sequence");

  static final List<Column> WATERMARK_COLUMNS = List.of(
      new Column("assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("decided_through", "DATE", Types.DATE));

  private static final String SELECT = "SELECT " + Sql.names(COLUMNS) + " FROM " + LINES;

  private final Database db;
  private final String selectWatermarks;
  private final String selectTails;

  JdbcChargeJournal(Database db) {
    this.db = db;
    if (db.dialect == Dialect.POSTGRESQL) {
      selectWatermarks = "SELECT assignment_id, decided_through FROM " + WATERMARKS
          + " WHERE assignment_id = ANY(?::varchar[])";
      selectTails = "SELECT " + qualified("l") + " FROM unnest(?::varchar[], ?::date[]) AS r (assignment_id, cutoff)"
          + " JOIN " + LINES + " l ON l.assignment_id = r.assignment_id AND l.reach_date >= r.cutoff";
    } else {
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

  /** The row of a line, in {@link #COLUMNS} order, after checking that every column can hold its value. */
  static Object[] row(ChargeLine line) {
    String what = "line " + line.keyText() + " ";
    String did = line.did().map(d -> Columns.text(what + "did", d, Columns.DID_LENGTH)).orElse(null);
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
        line.reach(),
        line.quantity(),
        line.retail().currency().getCurrencyCode(),
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

  /**
   * The line a row holds ({@link StoredLine#toLine()}: built by its kind's factory and compared with
   * every column): a row written around the store that no line can be is reported, never read as
   * another line.
   */
  static ChargeLine read(ResultSet rs) throws SQLException {
    String assignmentId = rs.getString("assignment_id");
    String kind = rs.getString("kind");
    LocalDate keyStart = Columns.getDate(rs, "key_period_start");
    try {
      LineSubject subject = new LineSubject(assignmentId, rs.getString("customer_id"),
          Optional.ofNullable(rs.getString("did")), rs.getString("package_id"), rs.getInt("quantity"),
          rs.getBoolean("auto_decrement"));
      Currency currency = Columns.getCurrency(rs, "currency");
      return new StoredLine(new LineKey(assignmentId, LineKind.valueOf(kind), keyStart, rs.getInt("key_sequence")),
          subject, new BillingPeriod(Columns.getDate(rs, "period_start"), Columns.getDate(rs, "period_end")),
          Columns.getDate(rs, "due_date"), Columns.getMoney(rs, "unit_price", currency),
          Columns.getMoney(rs, "unit_cost", currency),
          new Proration(rs.getLong("proration_days"), rs.getLong("proration_of_days")),
          Columns.getMoney(rs, "retail", currency), Columns.getMoney(rs, "cost", currency),
          rs.getLong("grant_seconds"), Optional.ofNullable(Columns.getDate(rs, "grant_valid_until"))).toLine();
    } catch (IllegalArgumentException e) {
      throw new JdbcStoreException("charge line " + assignmentId + "/" + kind + "/" + keyStart + " as stored in "
          + LINES + " is not valid: " + e.getMessage());
    }
  }
}
