package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Consumption;
import dev.allotment.core.DestinationPattern;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.UsageRecord;
import dev.allotment.jdbc.JdbcStores.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The free-minute tables as SQL: {@code allotment_free_minute_grant} (one row per grant, with its
 * used seconds and, while revoked, {@code revoked_at}), {@code allotment_free_minute_usage} (one row
 * per consumed call) and {@code allotment_free_minute_take} (what each call took from each grant,
 * in order). The statements that differ by dialect, the row mapping, and the atomic step.
 *
 * <p><b>The atomic step</b> ({@link #step}) is one conditional {@code UPDATE} that takes
 * {@code LEAST(asked, allocated - used)} from a grant {@code WHERE used < allocated} (or gives back
 * {@code LEAST(asked, used)} {@code WHERE used > 0}) and reports, from the same statement, how much
 * that was:
 * <ul>
 *   <li>PostgreSQL (15 has no {@code RETURNING OLD}): a CTE first locks the row
 *       ({@code SELECT id, used_seconds ... FOR UPDATE}), the {@code UPDATE ... FROM} that CTE
 *       changes it and returns new minus old. The lock is what makes it exact: a plain self-join
 *       would pair the new value with the statement's snapshot of the old one, which a concurrent
 *       commit may have changed meanwhile. With the row locked first, the CTE reads its latest
 *       committed version, and the update changes exactly that version.
 *   <li>H2: {@code SELECT ... FROM OLD TABLE (UPDATE ...)}, H2's data-change delta table: the row
 *       as the update found it after locking it, from which {@link #step} computes the seconds moved.
 * </ul>
 * Both test {@code revoked_at IS NULL} in the update's own condition, on the locked row, so a grant
 * revoked by the schema upgrade (see {@link PendingLineResolution}) neither gives nor takes. The
 * {@code CHECK (used_seconds BETWEEN 0 AND allocated_seconds)} is a backstop, never the mechanism.
 *
 * <p>Immutable and thread-safe.
 */
final class FreeMinuteSql {
  static final String GRANTS = "allotment_free_minute_grant";
  static final String USAGES = "allotment_free_minute_usage";
  static final String TAKES = "allotment_free_minute_take";

  private static final String TIMESTAMP = "TIMESTAMP WITH TIME ZONE";

  static final List<Column> GRANT_COLUMNS = List.of(
      new Column("id", "VARCHAR(200)", Types.VARCHAR),
      new Column("assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("destination", "VARCHAR(16000)", Types.VARCHAR),
      new Column("allocated_seconds", "BIGINT", Types.BIGINT),
      new Column("valid_from", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("valid_until", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("rounding_increment_seconds", "INTEGER", Types.INTEGER),
      new Column("low_balance_percent", "INTEGER", Types.INTEGER));

  static final List<Column> USAGE_COLUMNS = List.of(
      new Column("usage_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("dialed_number", "VARCHAR(32)", Types.VARCHAR),
      new Column("call_start", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("duration_seconds", "BIGINT", Types.BIGINT),
      new Column("rounded_seconds", "BIGINT", Types.BIGINT));

  /**
   * Sets a grant to a revision ({@link GrantRevision}): parameters the allocated seconds, the end
   * of validity (null: none) and the grant id. Never below the used seconds, so the used-seconds
   * check holds; a revoked grant stays revoked; an unknown id matches no row. Setting it twice
   * leaves it as once.
   */
  static final String REVISE_GRANT = "UPDATE " + GRANTS
      + " SET allocated_seconds = GREATEST(CAST(? AS BIGINT), used_seconds), valid_until = ? WHERE id = ?";

  static final List<Column> REVISION_COLUMNS = List.of(
      new Column("allocated_seconds", "BIGINT", Types.BIGINT),
      new Column("valid_until", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("id", "VARCHAR(200)", Types.VARCHAR));

  static final String SELECT_GRANTS = "SELECT " + Sql.names(GRANT_COLUMNS) + ", used_seconds FROM " + GRANTS;

  /** Valid at an instant; the bounds are exact for whole microseconds (see {@link #bound}). */
  static final String VALID_AT = " AND valid_from <= ? AND (valid_until IS NULL OR valid_until > ?)";

  /** A grant that serves calls: not revoked. */
  static final String NOT_REVOKED = " AND revoked_at IS NULL";

  /** The customer's grants valid at an instant, in the order the allocator gets them. */
  static final String VALID_GRANTS = SELECT_GRANTS + " WHERE customer_id = ?" + VALID_AT + NOT_REVOKED
      + " ORDER BY valid_from, id";

  static final String SELECT_CONSUMPTION = "SELECT u.usage_id, u.customer_id, u.did, u.dialed_number,"
      + " u.call_start, u.duration_seconds, u.rounded_seconds, t.grant_id, t.seconds FROM " + USAGES + " u"
      + " LEFT JOIN " + TAKES + " t ON t.usage_id = u.usage_id WHERE u.usage_id = ? ORDER BY t.take_order";

  static final String INSERT_TAKE = "INSERT INTO " + TAKES + " (usage_id, take_order, grant_id, seconds)"
      + " VALUES (?, ?, ?, ?)";

  final Dialect dialect;
  final String insertUsage;
  final String selectGrantsById;
  /** The customer's grants valid at the call's start, locked in valid-from, id order. */
  final String lockValidGrants;
  final String take;
  final String giveBack;
  /**
   * Adds grants (one row of {@link #GRANT_COLUMNS} each, ids distinct) unless held, and clears the
   * revocation of the held ones; for {@link JdbcUnitOfWork}.
   */
  final String addGrants;

  FreeMinuteSql(Dialect dialect) {
    this.dialect = dialect;
    this.insertUsage = Sql.insertIfAbsent(dialect, USAGES, USAGE_COLUMNS, List.of("usage_id"));
    if (dialect == Dialect.POSTGRESQL) {
      selectGrantsById = SELECT_GRANTS + " WHERE id = ANY(?::varchar[])";
      lockValidGrants = VALID_GRANTS + " FOR UPDATE";
      take = "WITH before AS (SELECT id, used_seconds FROM " + GRANTS + " WHERE id = ? FOR UPDATE)"
          + " UPDATE " + GRANTS + " g"
          + " SET used_seconds = g.used_seconds + LEAST(?, g.allocated_seconds - g.used_seconds)"
          + " FROM before WHERE g.id = before.id AND g.used_seconds < g.allocated_seconds AND g.revoked_at IS NULL"
          + " RETURNING g.used_seconds - before.used_seconds";
      giveBack = "WITH before AS (SELECT id, used_seconds FROM " + GRANTS + " WHERE id = ? FOR UPDATE)"
          + " UPDATE " + GRANTS + " g SET used_seconds = g.used_seconds - LEAST(?, g.used_seconds)"
          + " FROM before WHERE g.id = before.id AND g.used_seconds > 0 AND g.revoked_at IS NULL"
          + " RETURNING before.used_seconds - g.used_seconds";
      // One probe of the primary key per grant: a new id is inserted, a held one keeps its terms
      // and used seconds, and only a held one that is revoked is changed (and locked).
      addGrants = Sql.insertUnnest(GRANTS, GRANT_COLUMNS, "ON CONFLICT (id) DO UPDATE SET revoked_at = NULL"
          + " WHERE " + GRANTS + ".revoked_at IS NOT NULL");
    } else {
      selectGrantsById = SELECT_GRANTS + " WHERE id = ANY(?)";
      // H2 locks rows in the order it scans them: the index on (customer_id, valid_from, id) scans a
      // customer's grants in the lock order, and naming it keeps a planner change from altering that.
      lockValidGrants = SELECT_GRANTS + " USE INDEX (allotment_free_minute_grant_customer_ix) WHERE customer_id = ?"
          + VALID_AT + NOT_REVOKED + " ORDER BY valid_from, id FOR UPDATE";
      take = "SELECT allocated_seconds - used_seconds FROM OLD TABLE (UPDATE " + GRANTS
          + " SET used_seconds = used_seconds + LEAST(?, allocated_seconds - used_seconds)"
          + " WHERE id = ? AND used_seconds < allocated_seconds" + NOT_REVOKED + ")";
      giveBack = "SELECT used_seconds FROM OLD TABLE (UPDATE " + GRANTS
          + " SET used_seconds = used_seconds - LEAST(?, used_seconds) WHERE id = ? AND used_seconds > 0"
          + NOT_REVOKED + ")";
      StringBuilder values = new StringBuilder();
      StringBuilder sourceValues = new StringBuilder();
      for (Column column : GRANT_COLUMNS) {
        values.append(values.length() == 0 ? "" : ", ").append("CAST(? AS ").append(column.type()).append(')');
        sourceValues.append(sourceValues.length() == 0 ? "" : ", ").append("s.").append(column.name());
      }
      addGrants = "MERGE INTO " + GRANTS + " t USING (VALUES (" + values + ")) s (" + Sql.names(GRANT_COLUMNS)
          + ") ON t.id = s.id WHEN MATCHED AND t.revoked_at IS NOT NULL THEN UPDATE SET revoked_at = NULL"
          + " WHEN NOT MATCHED THEN INSERT (" + Sql.names(GRANT_COLUMNS) + ") VALUES (" + sourceValues + ")";
    }
  }

  /**
   * Runs the atomic step {@code sql} ({@link #take} or {@link #giveBack}) for {@code seconds > 0} on
   * the grant and returns the seconds it moved: 0 when its condition matched no row (the grant is
   * used up, or has nothing used, or is revoked, or is not held).
   */
  long step(Connection connection, String sql, String grantId, long seconds) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (dialect == Dialect.POSTGRESQL) {
        statement.setString(1, grantId);
        statement.setLong(2, seconds);
      } else {
        statement.setLong(1, seconds);
        statement.setString(2, grantId);
      }
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return 0;
        }
        // PostgreSQL returns the seconds moved; H2 what the row had (left, or used) before the update.
        long value = rs.getLong(1);
        return dialect == Dialect.POSTGRESQL ? value : Math.min(seconds, value);
      }
    }
  }

  /** The row of a grant, in {@link #GRANT_COLUMNS} order, after checking that every column can hold its value. */
  static Object[] row(Grant grant) {
    String what = "grant '" + grant.id() + "' ";
    return new Object[] {
        Columns.text("grant id", grant.id(), Columns.GRANT_ID_LENGTH),
        Columns.text(what + "assignmentId", grant.assignmentId(), Columns.ID_LENGTH),
        Columns.text(what + "customerId", grant.customerId(), Columns.ID_LENGTH),
        grant.did().map(d -> Columns.text(what + "did", d, Columns.DID_LENGTH)).orElse(null),
        grant.destination().map(d -> Columns.text(what + "destination", d.source(), Columns.DESTINATION_LENGTH))
            .orElse(null),
        grant.allocatedSeconds(),
        Columns.instant(what + "validFrom", grant.validFrom()),
        grant.validUntil().map(u -> Columns.instant(what + "validUntil", u)).orElse(null),
        grant.roundingIncrementSeconds(),
        grant.lowBalancePercent()};
  }

  /** The row of a revision, in {@link #REVISION_COLUMNS} order, after checking its instant. */
  static Object[] row(GrantRevision revision) {
    return new Object[] {
        revision.allocatedSeconds(),
        revision.validUntil().map(u -> Columns.instant("revision of grant '" + revision.grantId() + "' validUntil", u))
            .orElse(null),
        revision.grantId()};
  }

  /** The row of a call, in {@link #USAGE_COLUMNS} order, its rounded seconds provisionally its duration. */
  static Object[] row(UsageRecord usage) {
    String what = "usage '" + usage.usageId() + "' ";
    return new Object[] {
        Columns.text("usageId", usage.usageId(), Columns.ID_LENGTH),
        Columns.text(what + "customerId", usage.customerId(), Columns.ID_LENGTH),
        usage.did().map(d -> Columns.text(what + "did", d, Columns.DID_LENGTH)).orElse(null),
        Columns.text(what + "number", usage.number(), Columns.NUMBER_LENGTH),
        Columns.instant(what + "start", usage.start()),
        usage.durationSeconds(),
        usage.durationSeconds()};
  }

  /**
   * Parsed destination patterns by their text. A pattern of a few hundred prefixes takes far longer
   * to parse than its row to read, and grants share their package's few patterns, so every read of
   * grants (each call's, or a batch's hundreds) parses each text once. Patterns are immutable; the
   * map is emptied when it passes {@link #MOST_DESTINATIONS} texts, so it stays small.
   */
  private static final Map<String, DestinationPattern> DESTINATIONS = new ConcurrentHashMap<>();
  private static final int MOST_DESTINATIONS = 1_024;

  private static DestinationPattern destination(String text) {
    DestinationPattern held = DESTINATIONS.get(text);
    if (held != null) {
      return held;
    }
    if (DESTINATIONS.size() >= MOST_DESTINATIONS) {
      DESTINATIONS.clear();
    }
    DestinationPattern parsed = DestinationPattern.parse(text);
    DESTINATIONS.put(text, parsed);
    return parsed;
  }

  static GrantBalance readBalance(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      Instant validFrom = Columns.getInstant(rs, "valid_from");
      Instant validUntil = Columns.getInstant(rs, "valid_until");
      Grant.Builder builder = Grant.builder(id)
          .assignmentId(rs.getString("assignment_id"))
          .customerId(rs.getString("customer_id"))
          .allocatedSeconds(rs.getLong("allocated_seconds"))
          .validFrom(validFrom)
          .roundingIncrementSeconds(rs.getInt("rounding_increment_seconds"))
          .lowBalancePercent(rs.getInt("low_balance_percent"));
      String did = rs.getString("did");
      if (did != null) {
        builder.did(did);
      }
      String destination = rs.getString("destination");
      if (destination != null) {
        builder.destination(destination(destination));
      }
      boolean voided = validFrom.equals(validUntil);
      if (validUntil != null && !voided) {
        builder.validUntil(validUntil);
      }
      Grant grant = builder.build();
      if (voided) {
        // A revision ended its validity at its start (schema V7): a grant serving no call, which only
        // a revision makes, so it is read back as one.
        grant = new GrantRevision(id, grant.allocatedSeconds(), Optional.of(validUntil)).applyTo(grant, 0);
      }
      return new GrantBalance(grant, rs.getLong("used_seconds"));
    } catch (IllegalArgumentException | NullPointerException e) {
      // Only a row written around the store can fail here; say which one.
      throw new JdbcStoreException("free-minute grant '" + id + "' as stored in " + GRANTS + " is not valid: "
          + e.getMessage());
    }
  }

  /** The stored consumption of a usage id, read in one statement so the usage and its takes are one snapshot. */
  static Optional<Consumption> consumption(Connection connection, String usageId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_CONSUMPTION)) {
      statement.setString(1, usageId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        try {
          UsageRecord usage = new UsageRecord(usageId, rs.getString("customer_id"),
              Optional.ofNullable(rs.getString("did")), rs.getString("dialed_number"),
              Columns.getInstant(rs, "call_start"), rs.getLong("duration_seconds"));
          long rounded = rs.getLong("rounded_seconds");
          List<GrantSeconds> takes = new ArrayList<>();
          do {
            String grantId = rs.getString("grant_id");
            if (grantId != null) {
              takes.add(new GrantSeconds(grantId, rs.getLong("seconds")));
            }
          } while (rs.next());
          return Optional.of(new Consumption(usage, rounded, takes));
        } catch (IllegalArgumentException e) {
          throw new JdbcStoreException("the consumption of usage '" + usageId + "' as stored in " + USAGES + " and "
              + TAKES + " is not valid: " + e.getMessage());
        }
      }
    }
  }

  /**
   * {@code at} widened to the column's precision and range, for a filter that Java then makes exact:
   * {@code valid_from <= ceiling} and {@code valid_until > floor} keep every grant valid at
   * {@code at} (and maybe one that starts or ends within the same microsecond, which
   * {@link Grant#isValidAt} then drops), and a parameter within range is never refused.
   */
  static OffsetDateTime bound(Instant at, boolean ceiling) {
    if (at.isBefore(Columns.MIN_INSTANT)) {
      return Columns.MIN_INSTANT.atOffset(ZoneOffset.UTC);
    }
    if (at.isAfter(Columns.MAX_INSTANT)) {
      return Columns.MAX_INSTANT.atOffset(ZoneOffset.UTC);
    }
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    if (ceiling && micros.isBefore(at)) {
      micros = micros.plus(1, ChronoUnit.MICROS);
    }
    return micros.atOffset(ZoneOffset.UTC);
  }
}
