package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UsageAllocator;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link FreeMinuteStore} over {@code allotment_free_minute_grant} (one row per grant, with its used
 * seconds), {@code allotment_free_minute_usage} (one row per consumed call, keyed by usage id) and
 * {@code allotment_free_minute_take} (what each consumed call took from each grant, in order).
 *
 * <p><b>Thread-safety.</b> Thread-safe, and safe for any number of nodes sharing one PostgreSQL
 * database: it holds no state but the {@link Database}, and every call is one transaction.
 *
 * <p><b>The atomic step.</b> {@link #take} is one conditional {@code UPDATE} that takes
 * {@code LEAST(asked, allocated - used)} from a grant {@code WHERE used < allocated} and reports,
 * from the same statement, how much that was:
 * <ul>
 *   <li>PostgreSQL (15 has no {@code RETURNING OLD}): a CTE first locks the row
 *       ({@code SELECT id, used_seconds ... FOR UPDATE}), the {@code UPDATE ... FROM} that CTE
 *       changes it and {@code RETURNING g.used_seconds - before.used_seconds}. The lock is what
 *       makes it exact: a plain self-join would pair the new value with the statement's snapshot of
 *       the old one, which a concurrent commit may have changed meanwhile (the update re-reads the
 *       row, the joined copy does not), and report more than was taken. With the row locked first,
 *       PostgreSQL re-reads its latest committed version for the CTE, and the update then changes
 *       exactly that version.
 *   <li>H2: {@code SELECT ... FROM OLD TABLE (UPDATE ...)}, H2's data-change delta table: the row
 *       as the update found it after locking it, so {@code LEAST(asked, allocated - used)} of that
 *       row is what the update added.
 * </ul>
 * The database decides on the row it holds locked; no value read by Java decides a write. The
 * {@code CHECK (used_seconds BETWEEN 0 AND allocated_seconds)} is a backstop, never the mechanism.
 * {@link #giveBack} is the mirror image ({@code used - LEAST(asked, used) WHERE used > 0}).
 *
 * <p><b>Consumption</b> ({@link #consume}) is one transaction:
 * <ol>
 *   <li>Insert the usage row unless its id is held: PostgreSQL {@code INSERT ... ON CONFLICT
 *       (usage_id) DO NOTHING}, which makes a second inserter of the same id wait until the first
 *       commits (then it does nothing) or rolls back (then it inserts); H2 {@code MERGE ... WHEN NOT
 *       MATCHED}, where the second inserter waits too and, once the first commits, fails with a
 *       duplicate key, which here means "held" (H2 undoes just that statement, the transaction's
 *       first). Either way concurrent consumptions of one id run the allocator once, and the others
 *       return its stored result.
 *   <li>If the id was held, return the stored consumption (one statement joining the usage and its
 *       takes, so it is one snapshot).
 *   <li>Lock the customer's grants valid at the call's start and not revoked
 *       ({@code SELECT ... FOR UPDATE}) in valid-from, id order, the order the allocator gets them in. Every statement that locks
 *       several grants locks them in that one order (a refund gives back in it too), so two calls
 *       taking from overlapping grants in different orders (a longer prefix of one grant for one
 *       number, of another for the next) wait for each other instead of deadlocking. PostgreSQL
 *       locks rows in the {@code ORDER BY}'s order; H2 locks them as it scans, so the statement
 *       names the (customer, valid-from, id) index H2 would pick anyway. A customer's concurrent
 *       calls are serialised by this, as they would be by the row of the grant they all take from.
 *   <li>Run the allocator with a taker that runs the atomic step on this transaction's connection.
 *   <li>Check the result against the takes, store the takes and the rounded seconds, commit.
 * </ol>
 * Any exception rolls the transaction back, so no seconds stay taken. A database conflict that
 * {@link Database#transaction} retries (a lock timeout on H2, say) runs the allocator again from
 * scratch after the rollback. The allocator is handed the grants valid at the call's start rather
 * than every grant of the customer: the only ones {@link dev.allotment.core.FreeMinuteRules} can
 * use, and a customer's expired grants grow with every period.
 *
 * <p><b>Refunds</b> ({@link #refund}) lock the usage row ({@code SELECT ... FOR UPDATE}), give each
 * take back (the atomic step, in valid-from, id order) to grants still valid at the refund, and
 * delete the takes and the usage. A concurrent refund of the same id waits for the lock and then
 * finds the row gone, so it refunds nothing; a concurrent consumption of the id waits for the
 * deleting transaction and then consumes afresh.
 *
 * <p><b>Revocation</b> ({@link #revokeGrant}) sets the grant's {@code revoked_at} in one conditional
 * {@code UPDATE}. Takes and give-backs test {@code revoked_at IS NULL} in their own conditional
 * {@code UPDATE}, and consumption locks and offers only grants not revoked, so the row lock orders
 * a revocation against every take: none succeeds after it. {@link #balances} lists no revoked grant;
 * {@link #balance} still finds one, so its id keeps its row and used seconds. {@link #addGrantsIfAbsent}
 * revives a revoked grant by clearing {@code revoked_at}, again one conditional {@code UPDATE} of
 * the row, so a revival and a revocation are ordered by the row lock too.
 *
 * <p><b>Bad input.</b> Values the columns cannot hold exactly (a destination pattern over
 * {@value Columns#DESTINATION_LENGTH} characters, an instant outside years 1..9999 or finer than a
 * microsecond, text with U+0000 or an unpaired surrogate) are refused with an
 * {@link IllegalArgumentException} naming the field and the value before any statement runs. A
 * lookup by an id with U+0000 or an unpaired surrogate finds nothing without a statement.
 */
final class JdbcFreeMinuteStore implements FreeMinuteStore {
  static final String GRANTS = "allotment_free_minute_grant";
  static final String USAGES = "allotment_free_minute_usage";
  static final String TAKES = "allotment_free_minute_take";

  private static final String TIMESTAMP = "TIMESTAMP WITH TIME ZONE";

  static final List<Column> GRANT_COLUMNS = List.of(
      new Column("id", "VARCHAR(200)", Types.VARCHAR),
      new Column("assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("destination", "VARCHAR(4000)", Types.VARCHAR),
      new Column("allocated_seconds", "BIGINT", Types.BIGINT),
      new Column("valid_from", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("valid_until", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("rounding_increment_seconds", "INTEGER", Types.INTEGER));

  static final List<Column> USAGE_COLUMNS = List.of(
      new Column("usage_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("dialed_number", "VARCHAR(32)", Types.VARCHAR),
      new Column("call_start", TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE),
      new Column("duration_seconds", "BIGINT", Types.BIGINT),
      new Column("rounded_seconds", "BIGINT", Types.BIGINT));

  private static final String SELECT_GRANTS = "SELECT " + Sql.names(GRANT_COLUMNS) + ", used_seconds FROM " + GRANTS;

  /** Valid at a call's start; the bounds are exact here, since a stored call's start is whole microseconds. */
  private static final String VALID_AT = " AND valid_from <= ? AND (valid_until IS NULL OR valid_until > ?)";

  /** A grant that serves calls and is listed: not revoked. */
  private static final String NOT_REVOKED = " AND revoked_at IS NULL";

  private static final String REVIVE_GRANTS = "UPDATE " + GRANTS + " SET revoked_at = NULL"
      + " WHERE revoked_at IS NOT NULL AND id = ";

  private static final String SELECT_CONSUMPTION = "SELECT u.usage_id, u.customer_id, u.did, u.dialed_number,"
      + " u.call_start, u.duration_seconds, u.rounded_seconds, t.grant_id, t.seconds FROM " + USAGES + " u"
      + " LEFT JOIN " + TAKES + " t ON t.usage_id = u.usage_id WHERE u.usage_id = ? ORDER BY t.take_order";

  private static final String INSERT_TAKE = "INSERT INTO " + TAKES + " (usage_id, take_order, grant_id, seconds)"
      + " VALUES (?, ?, ?, ?)";

  private static final Comparator<Grant> GRANT_ORDER =
      Comparator.comparing(Grant::validFrom).thenComparing(Grant::id);

  /**
   * Consumption retries when the usage id it found held was refunded before it could read it: a
   * race that needs a refund and a consumption of one id at the same instant, so a few suffice.
   */
  private static final int HELD_BUT_GONE_ATTEMPTS = 10;

  private final Database db;
  private final Dialect dialect;
  private final String insertUsage;
  private final String insertGrants;
  private final String selectGrantsById;
  /** Clears the revocation of the grants among an array of ids (see {@link #addGrantsIfAbsent}). */
  private final String reviveGrants;
  private final String lockValidGrants;
  /** The atomic step; parameters: see {@link #step}. */
  private final String take;
  private final String giveBack;

  JdbcFreeMinuteStore(Database db) {
    this.db = db;
    this.dialect = db.dialect;
    this.insertUsage = Sql.insertIfAbsent(dialect, USAGES, USAGE_COLUMNS, List.of("usage_id"));
    if (dialect == Dialect.POSTGRESQL) {
      insertGrants = Sql.insertUnnest(GRANTS, GRANT_COLUMNS, "ON CONFLICT DO NOTHING RETURNING id");
      selectGrantsById = SELECT_GRANTS + " WHERE id = ANY(?::varchar[])";
      reviveGrants = REVIVE_GRANTS + "ANY(?::varchar[])";
      lockValidGrants = SELECT_GRANTS + " WHERE customer_id = ?" + VALID_AT + NOT_REVOKED
          + " ORDER BY valid_from, id FOR UPDATE";
      // The revocation test sits in the UPDATE's own condition, which PostgreSQL re-checks on the
      // row's latest version once it holds the row lock, the lock a revocation takes too.
      take = "WITH before AS (SELECT id, used_seconds FROM " + GRANTS + " WHERE id = ? FOR UPDATE)"
          + " UPDATE " + GRANTS + " g"
          + " SET used_seconds = g.used_seconds + LEAST(?, g.allocated_seconds - g.used_seconds)"
          + " FROM before WHERE g.id = before.id AND g.used_seconds < g.allocated_seconds AND g.revoked_at IS NULL"
          + " RETURNING g.used_seconds - before.used_seconds";
      giveBack = "WITH before AS (SELECT id, used_seconds FROM " + GRANTS + " WHERE id = ? FOR UPDATE)"
          + " UPDATE " + GRANTS + " g SET used_seconds = g.used_seconds - LEAST(?, g.used_seconds)"
          + " FROM before WHERE g.id = before.id AND g.used_seconds > 0 AND g.revoked_at IS NULL"
          + " RETURNING before.used_seconds - g.used_seconds";
    } else {
      insertGrants = Sql.insertIfAbsent(dialect, GRANTS, GRANT_COLUMNS, List.of("id"));
      selectGrantsById = SELECT_GRANTS + " WHERE id = ANY(?)";
      reviveGrants = REVIVE_GRANTS + "ANY(?)";
      // H2 locks rows in the order it scans them: the index on (customer_id, valid_from, id) scans a
      // customer's grants in the lock order, and naming it keeps a planner change from altering that.
      lockValidGrants = SELECT_GRANTS + " USE INDEX (allotment_free_minute_grant_customer_ix) WHERE customer_id = ?"
          + VALID_AT + NOT_REVOKED + " ORDER BY valid_from, id FOR UPDATE";
      // The delta table's row is the one the update locked and changed, so the seconds moved are
      // LEAST(asked, allocated - used) and LEAST(asked, used) of it, which step() computes. H2
      // re-evaluates the condition, revocation included, on the row it locked.
      take = "SELECT allocated_seconds - used_seconds FROM OLD TABLE (UPDATE " + GRANTS
          + " SET used_seconds = used_seconds + LEAST(?, allocated_seconds - used_seconds)"
          + " WHERE id = ? AND used_seconds < allocated_seconds" + NOT_REVOKED + ")";
      giveBack = "SELECT used_seconds FROM OLD TABLE (UPDATE " + GRANTS
          + " SET used_seconds = used_seconds - LEAST(?, used_seconds) WHERE id = ? AND used_seconds > 0"
          + NOT_REVOKED + ")";
    }
  }

  // ---- grants

  @Override
  public void addGrants(Collection<Grant> grants) {
    List<Grant> batch = List.copyOf(Objects.requireNonNull(grants, "grants"));
    // Id order: concurrent batches insert overlapping ids in the same order, so they cannot deadlock.
    TreeMap<String, Grant> unique = new TreeMap<>();
    for (Grant grant : batch) {
      Grant earlier = unique.putIfAbsent(grant.id(), grant);
      if (earlier != null && !earlier.equals(grant)) {
        throw conflict(earlier, grant, "the batch also holds");
      }
    }
    if (unique.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(unique.size());
    for (Grant grant : unique.values()) {
      rows.add(row(grant));
    }
    db.transaction("add " + rows.size() + " free-minute grants", connection -> {
      Set<String> inserted = insertGrants(connection, rows);
      List<String> held = new ArrayList<>();
      for (String id : unique.keySet()) {
        if (!inserted.contains(id)) {
          held.add(id);
        }
      }
      if (!held.isEmpty()) {
        // Committed rows: an insert-if-absent waits for (PostgreSQL) or retries after (H2) a
        // concurrent inserter, so what it skipped is there to compare with.
        Map<String, GrantBalance> stored = grantsById(connection, held);
        for (String id : held) {
          GrantBalance holding = stored.get(id);
          if (holding == null) {
            throw new IllegalStateException("grant '" + id + "' was neither inserted nor found");
          }
          if (!holding.grant().equals(unique.get(id))) {
            // Thrown inside the transaction, so the grants of the batch inserted so far roll back.
            throw conflict(holding.grant(), unique.get(id), "the store holds");
          }
        }
      }
      return null;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction of insert-if-absent statements in id order (PostgreSQL {@code INSERT ...
   * ON CONFLICT DO NOTHING}, one statement per {@value JdbcChargeJournal#CHUNK} grants; H2
   * {@code MERGE ... WHEN NOT MATCHED}, whose loser of a race on one id retries the transaction).
   * Of two grants with one id in the batch, the first is the one added. Then, in the same
   * transaction, the revoked grants among the batch's ids are revived: one conditional
   * {@code UPDATE ... SET revoked_at = NULL WHERE id = ANY(?) AND revoked_at IS NOT NULL} per
   * {@value JdbcChargeJournal#CHUNK} ids, which leaves terms and used seconds as they are and
   * matches (and locks) no row when nothing was revoked. Every grant is checked against its
   * columns before any statement runs.
   */
  @Override
  public void addGrantsIfAbsent(Collection<Grant> grants) {
    List<Grant> batch = List.copyOf(Objects.requireNonNull(grants, "grants"));
    TreeMap<String, Grant> unique = new TreeMap<>();
    for (Grant grant : batch) {
      unique.putIfAbsent(grant.id(), grant);
    }
    if (unique.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(unique.size());
    for (Grant grant : unique.values()) {
      rows.add(row(grant));
    }
    List<String> ids = new ArrayList<>(unique.keySet());
    db.transaction("add " + rows.size() + " free-minute grants unless held", connection -> {
      insertGrants(connection, rows);
      reviveGrants(connection, ids);
      return null;
    });
  }

  /** Clears {@code revoked_at} of the revoked grants among {@code ids}; nothing else of them changes. */
  private void reviveGrants(Connection connection, List<String> ids) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(reviveGrants)) {
      for (int from = 0; from < ids.size(); from += JdbcChargeJournal.CHUNK) {
        statement.setArray(1, Sql.textArray(connection,
            ids.subList(from, Math.min(ids.size(), from + JdbcChargeJournal.CHUNK))));
        statement.executeUpdate();
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One conditional {@code UPDATE ... SET revoked_at = CURRENT_TIMESTAMP WHERE id = ? AND
   * revoked_at IS NULL}. It locks the grant's row, as every take and give-back does, and they test
   * {@code revoked_at IS NULL} in their own conditional {@code UPDATE} on the locked row: a take
   * ordered before the revocation counts, one after it matches no row and takes nothing. A
   * consumption in progress holds the rows of the grants it offered locked, so a revocation waits
   * for it to commit; one that starts later neither locks nor offers a revoked grant (until
   * {@link #addGrantsIfAbsent} revives it).
   */
  @Override
  public boolean revokeGrant(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    if (!Columns.storable(grantId)) {
      return false;
    }
    return db.transaction("revoke free-minute grant '" + grantId + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "UPDATE " + GRANTS + " SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?" + NOT_REVOKED)) {
        statement.setString(1, grantId);
        return statement.executeUpdate() == 1;
      }
    });
  }

  private static IllegalArgumentException conflict(Grant held, Grant added, String where) {
    return new IllegalArgumentException("grant '" + added.id() + "' is already held with different content ("
        + where + " it): held " + held + ", added " + added);
  }

  /** Inserts the rows unless their ids are held; returns the ids inserted. */
  private Set<String> insertGrants(Connection connection, List<Object[]> rows) throws SQLException {
    Set<String> inserted = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(insertGrants)) {
      for (int from = 0; from < rows.size(); from += JdbcChargeJournal.CHUNK) {
        List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + JdbcChargeJournal.CHUNK));
        if (dialect == Dialect.POSTGRESQL) {
          Sql.bindArrays(connection, statement, GRANT_COLUMNS, chunk);
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              inserted.add(rs.getString(1));
            }
          }
        } else {
          for (Object[] row : chunk) {
            Sql.bind(statement, GRANT_COLUMNS, row);
            statement.addBatch();
          }
          int[] counts = statement.executeBatch();
          for (int i = 0; i < chunk.size(); i++) {
            if (counts[i] == 1) {
              inserted.add((String) chunk.get(i)[0]);
            }
          }
        }
      }
    }
    return inserted;
  }

  private Map<String, GrantBalance> grantsById(Connection connection, List<String> ids) throws SQLException {
    Map<String, GrantBalance> found = new HashMap<>();
    try (PreparedStatement statement = connection.prepareStatement(selectGrantsById)) {
      for (int from = 0; from < ids.size(); from += JdbcChargeJournal.CHUNK) {
        statement.setArray(1, Sql.textArray(connection,
            ids.subList(from, Math.min(ids.size(), from + JdbcChargeJournal.CHUNK))));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            GrantBalance balance = readBalance(rs);
            found.put(balance.grant().id(), balance);
          }
        }
      }
    }
    return found;
  }

  @Override
  public List<GrantBalance> balances(String customerId) {
    Objects.requireNonNull(customerId, "customerId");
    if (!Columns.storable(customerId)) {
      return List.of();
    }
    return db.transaction("read the free-minute grants of customer '" + customerId + "'", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          SELECT_GRANTS + " WHERE customer_id = ?" + NOT_REVOKED + " ORDER BY valid_from, id")) {
        statement.setString(1, customerId);
        return readBalances(statement, null);
      }
    });
  }

  /** Filtered in SQL on the customer's index, then exactly by {@link Grant#isValidAt} (see {@link #bound}). */
  @Override
  public List<GrantBalance> balances(String customerId, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(at, "at");
    if (!Columns.storable(customerId)) {
      return List.of();
    }
    return db.transaction("read the free-minute grants of customer '" + customerId + "' valid at " + at,
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(
              SELECT_GRANTS + " WHERE customer_id = ?" + VALID_AT + NOT_REVOKED + " ORDER BY valid_from, id")) {
            statement.setString(1, customerId);
            statement.setObject(2, bound(at, true));
            statement.setObject(3, bound(at, false));
            return readBalances(statement, at);
          }
        });
  }

  /**
   * {@code at} widened to the column's precision and range, for a filter that Java then makes exact:
   * {@code valid_from <= ceiling} and {@code valid_until > floor} keep every grant valid at
   * {@code at} (and maybe one that starts or ends within the same microsecond, which
   * {@link Grant#isValidAt} then drops), and a parameter within range is never refused.
   */
  private static OffsetDateTime bound(Instant at, boolean ceiling) {
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

  private static List<GrantBalance> readBalances(PreparedStatement statement, Instant validAt) throws SQLException {
    List<GrantBalance> balances = new ArrayList<>();
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        GrantBalance balance = readBalance(rs);
        if (validAt == null || balance.grant().isValidAt(validAt)) {
          balances.add(balance);
        }
      }
    }
    return List.copyOf(balances);
  }

  @Override
  public Optional<GrantBalance> balance(String grantId) {
    Objects.requireNonNull(grantId, "grantId");
    if (!Columns.storable(grantId)) {
      return Optional.empty();
    }
    return db.transaction("read free-minute grant '" + grantId + "'", connection -> balance(connection, grantId));
  }

  private static Optional<GrantBalance> balance(Connection connection, String grantId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_GRANTS + " WHERE id = ?")) {
      statement.setString(1, grantId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(readBalance(rs)) : Optional.empty();
      }
    }
  }

  // ---- the atomic step

  @Override
  public long take(String grantId, long seconds) {
    Objects.requireNonNull(grantId, "grantId");
    requireAmount(seconds);
    requireStorable(grantId);
    return db.transaction("take " + seconds + " s from free-minute grant '" + grantId + "'",
        connection -> moveHeld(connection, take, grantId, seconds));
  }

  @Override
  public long giveBack(String grantId, long seconds) {
    Objects.requireNonNull(grantId, "grantId");
    requireAmount(seconds);
    requireStorable(grantId);
    return db.transaction("give " + seconds + " s back to free-minute grant '" + grantId + "'",
        connection -> moveHeld(connection, giveBack, grantId, seconds));
  }

  /** A grant id no row can hold names no grant the store holds: refused as an unknown id is. */
  private static void requireStorable(String grantId) {
    if (!Columns.storable(grantId)) {
      throw new IllegalArgumentException("grantId names no free-minute grant held: '" + Columns.printable(grantId)
          + "'");
    }
  }

  /**
   * {@link #step}, telling a grant the store does not hold from one with nothing to move (used up,
   * nothing used, or revoked).
   */
  private long moveHeld(Connection connection, String sql, String grantId, long seconds) throws SQLException {
    long moved = seconds == 0 ? 0 : step(connection, sql, grantId, seconds);
    if (moved == 0 && balance(connection, grantId).isEmpty()) {
      throw new IllegalArgumentException("grantId names no free-minute grant held: '" + grantId + "'");
    }
    return moved;
  }

  /**
   * Runs the atomic step {@code sql} ({@link #take} or {@link #giveBack}) for {@code seconds > 0} on
   * the grant and returns the seconds it moved: 0 when its condition matched no row (the grant is
   * used up, or has nothing used, or is not held).
   */
  private long step(Connection connection, String sql, String grantId, long seconds) throws SQLException {
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

  private static long requireAmount(long seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
    }
    return seconds;
  }

  // ---- consumption

  @Override
  public Consumption consume(UsageRecord usage, UsageAllocator allocator) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(allocator, "allocator");
    Object[] usageRow = row(usage);
    return db.transaction("consume usage '" + usage.usageId() + "'", connection -> {
      for (int attempt = 1; !insertUsage(connection, usageRow); attempt++) {
        Optional<Consumption> held = consumption(connection, usage.usageId());
        if (held.isPresent()) {
          return held.get();
        }
        if (attempt == HELD_BUT_GONE_ATTEMPTS) {
          throw new JdbcStoreException("consume usage '" + usage.usageId() + "': the id was held but refunded "
              + HELD_BUT_GONE_ATTEMPTS + " times in a row while this consumption tried to read it");
        }
      }
      UnitOfWork unit = new UnitOfWork(connection, usage, lockValidGrants(connection, usage));
      Consumption result = unit.run(allocator);
      storeTakes(connection, usage, result);
      return result;
    });
  }

  /** Inserts the usage row unless its id is held (committed); true when it inserted it. */
  private boolean insertUsage(Connection connection, Object[] usageRow) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insertUsage)) {
      Sql.bind(statement, USAGE_COLUMNS, usageRow);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      // H2 makes a second inserter of the id wait for the first and, once that commits, fail with a
      // duplicate key. H2 undoes only the failed statement, and nothing came before it in this
      // transaction, so the id is simply held: reading its consumption now spares concurrent
      // replays the rollback and pause of a retried transaction.
      if (dialect == Dialect.H2 && "23505".equals(Database.sqlState(e))) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The customer's grants valid at the call's start, locked in valid-from, id order (see the class
   * comment), which is also the order the allocator expects them in.
   */
  private List<Grant> lockValidGrants(Connection connection, UsageRecord usage) throws SQLException {
    List<Grant> grants = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(lockValidGrants)) {
      OffsetDateTime start = usage.start().atOffset(ZoneOffset.UTC);
      statement.setString(1, usage.customerId());
      statement.setObject(2, start);
      statement.setObject(3, start);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          grants.add(readBalance(rs).grant());
        }
      }
    }
    return List.copyOf(grants);
  }

  private static void storeTakes(Connection connection, UsageRecord usage, Consumption result) throws SQLException {
    List<GrantSeconds> takes = result.takes();
    if (!takes.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(INSERT_TAKE)) {
        for (int i = 0; i < takes.size(); i++) {
          statement.setString(1, usage.usageId());
          statement.setInt(2, i);
          statement.setString(3, takes.get(i).grantId());
          statement.setLong(4, takes.get(i).seconds());
          if (takes.size() == 1) {
            statement.executeUpdate();
          } else {
            statement.addBatch();
          }
        }
        if (takes.size() > 1) {
          statement.executeBatch();
        }
      }
    }
    // The row went in with the duration as its rounded seconds; most calls of per-second grants keep it.
    if (result.roundedSeconds() != usage.durationSeconds()) {
      try (PreparedStatement statement = connection.prepareStatement(
          "UPDATE " + USAGES + " SET rounded_seconds = ? WHERE usage_id = ?")) {
        statement.setLong(1, result.roundedSeconds());
        statement.setString(2, usage.usageId());
        statement.executeUpdate();
      }
    }
  }

  @Override
  public Optional<Consumption> consumption(String usageId) {
    Objects.requireNonNull(usageId, "usageId");
    if (!Columns.storable(usageId)) {
      return Optional.empty();
    }
    return db.transaction("read the consumption of usage '" + usageId + "'",
        connection -> consumption(connection, usageId));
  }

  /** The stored consumption, read in one statement so the usage and its takes are one snapshot. */
  private static Optional<Consumption> consumption(Connection connection, String usageId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT_CONSUMPTION)) {
      statement.setString(1, usageId);
      try (ResultSet rs = statement.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        try {
          String did = rs.getString("did");
          UsageRecord usage = new UsageRecord(usageId, rs.getString("customer_id"), Optional.ofNullable(did),
              rs.getString("dialed_number"), Columns.getInstant(rs, "call_start"), rs.getLong("duration_seconds"));
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

  // ---- refunds

  @Override
  public Optional<Refund> refund(String usageId, Instant at) {
    Objects.requireNonNull(usageId, "usageId");
    Objects.requireNonNull(at, "at");
    if (!Columns.storable(usageId)) {
      return Optional.empty();
    }
    return db.transaction("refund usage '" + usageId + "'", connection -> {
      // The lock decides which of concurrent refunds (or a refund and a replay) of the id goes first.
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT usage_id FROM " + USAGES + " WHERE usage_id = ? FOR UPDATE")) {
        statement.setString(1, usageId);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
        }
      }
      Consumption consumption = consumption(connection, usageId).orElseThrow(
          () -> new IllegalStateException("usage '" + usageId + "' was locked but not found"));
      Map<String, GrantBalance> grants = grantsById(connection,
          consumption.takes().stream().map(GrantSeconds::grantId).toList());
      // In the order consumption locks grants, so a refund and a consumption cannot deadlock.
      List<Grant> order = new ArrayList<>();
      for (GrantBalance grant : grants.values()) {
        order.add(grant.grant());
      }
      order.sort(GRANT_ORDER);
      Map<String, Long> back = new HashMap<>();
      for (Grant grant : order) {
        long seconds = grant.isValidAt(at) ? consumption.takenFrom(grant.id()) : 0;
        back.put(grant.id(), seconds == 0 ? 0L : step(connection, giveBack, grant.id(), seconds));
      }
      List<GrantSeconds> returned = new ArrayList<>();
      for (GrantSeconds take : consumption.takes()) {
        long seconds = back.getOrDefault(take.grantId(), 0L);
        if (seconds > 0) {
          returned.add(new GrantSeconds(take.grantId(), seconds));
        }
      }
      for (String table : List.of(TAKES, USAGES)) {
        try (PreparedStatement statement = connection.prepareStatement(
            "DELETE FROM " + table + " WHERE usage_id = ?")) {
          statement.setString(1, usageId);
          statement.executeUpdate();
        }
      }
      return Optional.of(new Refund(consumption, at, returned));
    });
  }

  // ---- rows

  private static Object[] row(Grant grant) {
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
        grant.roundingIncrementSeconds()};
  }

  private static Object[] row(UsageRecord usage) {
    String what = "usage '" + usage.usageId() + "' ";
    return new Object[] {
        Columns.text("usageId", usage.usageId(), Columns.ID_LENGTH),
        Columns.text(what + "customerId", usage.customerId(), Columns.ID_LENGTH),
        usage.did().map(d -> Columns.text(what + "did", d, Columns.DID_LENGTH)).orElse(null),
        Columns.text(what + "number", usage.number(), Columns.NUMBER_LENGTH),
        Columns.instant(what + "start", usage.start()),
        usage.durationSeconds(),
        // Provisional: the allocator's rounding is stored with the takes, in the same transaction.
        usage.durationSeconds()};
  }

  private static GrantBalance readBalance(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      Grant.Builder builder = Grant.builder(id)
          .assignmentId(rs.getString("assignment_id"))
          .customerId(rs.getString("customer_id"))
          .allocatedSeconds(rs.getLong("allocated_seconds"))
          .validFrom(Columns.getInstant(rs, "valid_from"))
          .roundingIncrementSeconds(rs.getInt("rounding_increment_seconds"));
      String did = rs.getString("did");
      if (did != null) {
        builder.did(did);
      }
      String destination = rs.getString("destination");
      if (destination != null) {
        builder.destination(destination);
      }
      Instant validUntil = Columns.getInstant(rs, "valid_until");
      if (validUntil != null) {
        builder.validUntil(validUntil);
      }
      return new GrantBalance(builder.build(), rs.getLong("used_seconds"));
    } catch (IllegalArgumentException | NullPointerException e) {
      // Only a row written around the store can fail here; say which one.
      throw new JdbcStoreException("free-minute grant '" + id + "' as stored in " + GRANTS + " is not valid: "
          + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "JdbcFreeMinuteStore[" + dialect + "]";
  }

  /**
   * One consumption of a new usage id inside its transaction: the taker handed to the allocator,
   * remembering each positive take so the result can be checked against them. A database failure
   * inside a take is kept and rethrown as the {@link SQLException} it was, even if the allocator
   * swallowed it, so that {@link Database#transaction} translates it (or retries the whole
   * consumption). Confined to the consuming thread; the rollback undoes its takes.
   */
  private final class UnitOfWork implements GrantTaker {
    private final Connection connection;
    private final UsageRecord usage;
    private final List<Grant> grants;
    private final Map<String, Grant> byId = new HashMap<>();
    private final List<GrantSeconds> takes = new ArrayList<>(2);
    private boolean open;
    private SQLException failure;

    UnitOfWork(Connection connection, UsageRecord usage, List<Grant> grants) {
      this.connection = connection;
      this.usage = usage;
      this.grants = grants;
      for (Grant grant : grants) {
        byId.put(grant.id(), grant);
      }
    }

    Consumption run(UsageAllocator allocator) throws SQLException {
      Consumption result;
      open = true;
      try {
        result = allocator.allocate(usage, grants, this);
      } catch (RuntimeException | Error e) {
        if (failure != null) {
          throw failure;
        }
        throw e;
      } finally {
        open = false;
      }
      if (failure != null) {
        throw failure;
      }
      check(result);
      return result;
    }

    @Override
    public long take(Grant grant, long seconds) {
      Objects.requireNonNull(grant, "grant");
      if (!open) {
        throw new IllegalStateException("the taker of a consumption is only valid during it");
      }
      if (!grant.equals(byId.get(grant.id()))) {
        throw new IllegalArgumentException("grant '" + grant.id() + "' is not a grant of the call's customer valid at"
            + " its start");
      }
      requireAmount(seconds);
      if (failure != null) {
        throw new IllegalStateException("a take of this consumption failed already", failure);
      }
      if (seconds == 0) {
        return 0;
      }
      long got;
      try {
        got = step(connection, take, grant.id(), seconds);
      } catch (SQLException e) {
        failure = e;
        throw new IllegalStateException("taking from grant '" + grant.id() + "' failed: " + e.getMessage(), e);
      }
      if (got > 0) {
        takes.add(new GrantSeconds(grant.id(), got));
      }
      return got;
    }

    private void check(Consumption result) {
      if (result == null || !usage.equals(result.usage())) {
        throw new IllegalStateException("allocator must return a consumption of usage '" + usage.usageId()
            + "', returned " + result);
      }
      if (!result.takes().equals(takes)) {
        throw new IllegalStateException("allocator result for usage '" + usage.usageId() + "' lists "
            + result.takes() + " but took " + takes);
      }
    }
  }
}
