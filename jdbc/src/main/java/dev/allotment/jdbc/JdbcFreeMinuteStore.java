package dev.allotment.jdbc;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.Refund;
import dev.allotment.core.UsageRecord;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.UsageAllocator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link FreeMinuteStore} over the free-minute tables (see {@link FreeMinuteSql}, which also holds
 * the atomic step every take and give-back is). Grants are written by {@link JdbcUnitOfWork}.
 *
 * <p><b>Thread-safety.</b> Thread-safe, and safe for any number of nodes sharing one PostgreSQL
 * database: it holds no state but the {@link Database}, and every call is one transaction.
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
 *       ({@code SELECT ... FOR UPDATE}) in valid-from, id order, the order the allocator gets them
 *       in. Every statement that locks several grants locks them in that one order (a refund gives
 *       back in it too), so two calls taking from overlapping grants in different orders wait for
 *       each other instead of deadlocking. PostgreSQL locks rows in the {@code ORDER BY}'s order; H2
 *       locks them as it scans, so the statement names the (customer, valid-from, id) index.
 *   <li>Run the allocator with a taker that runs the atomic step on this transaction's connection
 *       and refuses a grant it did not offer.
 *   <li>Store the allocator's takes and rounded seconds as its result says (the engine's allocator
 *       checks its own result; the store records it), then the events the allocator gives for the
 *       grants taken from (their used seconds after the take are those read under the lock plus the
 *       take), as the last write (see {@link EventSql}), and commit.
 * </ol>
 * Any exception rolls the transaction back, so no seconds stay taken; the allocator's own exception
 * is rethrown as it was. A database conflict that {@link Database#transaction} retries runs the
 * allocator again from scratch after the rollback.
 *
 * <p><b>Refunds</b> ({@link #refund}) lock the usage row ({@code SELECT ... FOR UPDATE}), give each
 * take back (the atomic step, in valid-from, id order) to grants still valid at the refund, and
 * delete the takes and the usage. A concurrent refund of the same id waits for the lock and then
 * finds the row gone; a concurrent consumption of the id waits for the deleting transaction and
 * then consumes afresh.
 *
 * <p><b>Bad input.</b> Values the columns cannot hold exactly (an instant outside years 1..9999 or
 * finer than a microsecond, text with U+0000 or an unpaired surrogate) are refused with an
 * {@link IllegalArgumentException} naming the field and the value before any statement runs. A
 * lookup by an id no column can hold finds nothing without a statement.
 */
final class JdbcFreeMinuteStore implements FreeMinuteStore {
  private static final Comparator<Grant> GRANT_ORDER =
      Comparator.comparing(Grant::validFrom).thenComparing(Grant::id);

  /**
   * Consumption retries when the usage id it found held was refunded before it could read it: a
   * race that needs a refund and a consumption of one id at the same instant, so a few suffice.
   */
  private static final int HELD_BUT_GONE_ATTEMPTS = 10;

  private final Database db;
  private final FreeMinuteSql sql;

  JdbcFreeMinuteStore(Database db) {
    this.db = db;
    this.sql = new FreeMinuteSql(db.dialect);
  }

  @Override
  public Consumption consume(UsageRecord usage, UsageAllocator allocator) {
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(allocator, "allocator");
    Object[] usageRow = FreeMinuteSql.row(usage);
    return db.transaction("consume usage '" + usage.usageId() + "'", connection -> {
      for (int attempt = 1; !insertUsage(connection, usageRow); attempt++) {
        Optional<Consumption> held = FreeMinuteSql.consumption(connection, usage.usageId());
        if (held.isPresent()) {
          return held.get();
        }
        if (attempt == HELD_BUT_GONE_ATTEMPTS) {
          throw new JdbcStoreException("consume usage '" + usage.usageId() + "': the id was held but refunded "
              + HELD_BUT_GONE_ATTEMPTS + " times in a row while this consumption tried to read it");
        }
      }
      List<GrantBalance> locked = lockValidGrants(connection, usage);
      Consumption result = new Taker(connection, locked.stream().map(GrantBalance::grant).toList())
          .run(usage, allocator);
      storeTakes(connection, usage, result);
      if (!result.takes().isEmpty()) {
        // The grants are locked, so each one's used seconds after this call's take are those read plus the take.
        List<GrantBalance> takenFrom = new ArrayList<>(result.takes().size());
        for (GrantBalance held : locked) {
          long taken = result.takenFrom(held.grant().id());
          if (taken > 0) {
            takenFrom.add(new GrantBalance(held.grant(), Math.min(held.grant().allocatedSeconds(),
                held.usedSeconds() + taken)));
          }
        }
        List<BillingEvent> events = allocator.events(result, List.copyOf(takenFrom));
        List<Object[]> rows = new ArrayList<>(events.size());
        events.forEach(event -> rows.add(EventSql.row(event)));
        EventSql.write(connection, db.dialect, rows);
      }
      return result;
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>One transaction for the whole batch (see {@link BatchConsumption}): every new call of it is
   * recorded with its takes and events, or none; held ids return their stored consumptions.
   */
  @Override
  public List<Consumption> consumeAll(List<UsageRecord> usages, UsageAllocator allocator) {
    FreeMinuteStore.checkBatch(usages);
    Objects.requireNonNull(allocator, "allocator");
    if (usages.isEmpty()) {
      return List.of();
    }
    List<Object[]> rows = new ArrayList<>(usages.size());
    usages.forEach(usage -> rows.add(FreeMinuteSql.row(usage)));
    return db.transaction("consume a batch of " + usages.size() + " calls",
        connection -> new BatchConsumption(connection, db.dialect, sql).run(usages, rows, allocator));
  }

  /** Inserts the usage row unless its id is held (committed); true when it inserted it. */
  private boolean insertUsage(Connection connection, Object[] usageRow) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql.insertUsage)) {
      Sql.bind(statement, FreeMinuteSql.USAGE_COLUMNS, usageRow);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      // H2 makes a second inserter of the id wait for the first and, once that commits, fail with a
      // duplicate key. H2 undoes only the failed statement, and nothing came before it in this
      // transaction, so the id is simply held: reading its consumption now spares concurrent
      // replays the rollback and pause of a retried transaction.
      if (sql.dialect == Dialect.H2 && "23505".equals(Database.sqlState(e))) {
        return false;
      }
      throw e;
    }
  }

  /** The customer's grants valid at the call's start and not revoked, with their used seconds, locked in valid-from, id order. */
  private List<GrantBalance> lockValidGrants(Connection connection, UsageRecord usage) throws SQLException {
    List<GrantBalance> grants = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql.lockValidGrants)) {
      OffsetDateTime start = usage.start().atOffset(ZoneOffset.UTC);
      statement.setString(1, usage.customerId());
      statement.setObject(2, start);
      statement.setObject(3, start);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          grants.add(FreeMinuteSql.readBalance(rs));
        }
      }
    }
    return List.copyOf(grants);
  }

  private static void storeTakes(Connection connection, UsageRecord usage, Consumption result) throws SQLException {
    List<GrantSeconds> takes = result.takes();
    if (!takes.isEmpty()) {
      try (PreparedStatement statement = connection.prepareStatement(FreeMinuteSql.INSERT_TAKE)) {
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
          "UPDATE " + FreeMinuteSql.USAGES + " SET rounded_seconds = ? WHERE usage_id = ?")) {
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
        connection -> FreeMinuteSql.consumption(connection, usageId));
  }

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
          "SELECT usage_id FROM " + FreeMinuteSql.USAGES + " WHERE usage_id = ? FOR UPDATE")) {
        statement.setString(1, usageId);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
        }
      }
      Consumption consumption = FreeMinuteSql.consumption(connection, usageId).orElseThrow(
          () -> new IllegalStateException("usage '" + usageId + "' was locked but not found"));
      List<Grant> order = grants(connection, consumption.takes().stream().map(GrantSeconds::grantId).toList());
      // In the order consumption locks grants, so a refund and a consumption cannot deadlock.
      order.sort(GRANT_ORDER);
      Map<String, Long> back = new HashMap<>();
      for (Grant grant : order) {
        long seconds = grant.isValidAt(at) ? consumption.takenFrom(grant.id()) : 0;
        back.put(grant.id(), seconds == 0 ? 0L : sql.step(connection, sql.giveBack, grant.id(), seconds));
      }
      List<GrantSeconds> returned = new ArrayList<>();
      for (GrantSeconds take : consumption.takes()) {
        long seconds = back.getOrDefault(take.grantId(), 0L);
        if (seconds > 0) {
          returned.add(new GrantSeconds(take.grantId(), seconds));
        }
      }
      for (String table : List.of(FreeMinuteSql.TAKES, FreeMinuteSql.USAGES)) {
        try (PreparedStatement statement = connection.prepareStatement(
            "DELETE FROM " + table + " WHERE usage_id = ?")) {
          statement.setString(1, usageId);
          statement.executeUpdate();
        }
      }
      return Optional.of(new Refund(consumption, at, returned));
    });
  }

  /** The grants with these ids (a call's few), as stored. */
  private List<Grant> grants(Connection connection, List<String> ids) throws SQLException {
    List<Grant> found = new ArrayList<>();
    if (ids.isEmpty()) {
      return found;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.selectGrantsById)) {
      statement.setArray(1, Sql.textArray(connection, ids));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          found.add(FreeMinuteSql.readBalance(rs).grant());
        }
      }
    }
    return found;
  }

  /** Filtered in SQL on the customer's index, then exactly by {@link Grant#isValidAt} (see {@link FreeMinuteSql#bound}). */
  @Override
  public List<GrantBalance> balances(String customerId, Instant at) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(at, "at");
    if (!Columns.storable(customerId)) {
      return List.of();
    }
    return db.transaction("read the free-minute grants of customer '" + customerId + "' valid at " + at,
        connection -> {
          List<GrantBalance> balances = new ArrayList<>();
          try (PreparedStatement statement = connection.prepareStatement(FreeMinuteSql.VALID_GRANTS)) {
            statement.setString(1, customerId);
            statement.setObject(2, FreeMinuteSql.bound(at, true));
            statement.setObject(3, FreeMinuteSql.bound(at, false));
            try (ResultSet rs = statement.executeQuery()) {
              while (rs.next()) {
                GrantBalance balance = FreeMinuteSql.readBalance(rs);
                if (balance.grant().isValidAt(at)) {
                  balances.add(balance);
                }
              }
            }
          }
          return List.copyOf(balances);
        });
  }

  @Override
  public String toString() {
    return "JdbcFreeMinuteStore[" + sql.dialect + "]";
  }

  /**
   * The taker of one consumption inside its transaction: takes through the atomic step on the
   * transaction's connection, only from the grants it offered, only while the allocator runs. A
   * database failure inside a take is kept and rethrown as the {@link SQLException} it was, even if
   * the allocator swallowed it, so that {@link Database#transaction} translates it (or retries the
   * whole consumption). Confined to the consuming thread; the rollback undoes its takes.
   */
  private final class Taker implements GrantTaker {
    private final Connection connection;
    private final List<Grant> grants;
    private final Map<String, Grant> byId = new HashMap<>();
    private boolean open;
    private SQLException failure;

    Taker(Connection connection, List<Grant> grants) {
      this.connection = connection;
      this.grants = grants;
      for (Grant grant : grants) {
        byId.put(grant.id(), grant);
      }
    }

    Consumption run(UsageRecord usage, UsageAllocator allocator) throws SQLException {
      Consumption result;
      open = true;
      try {
        result = allocator.allocate(usage, grants, this);
      } catch (Throwable e) {
        // A database failure the allocator met first is the one to report (and maybe retry on).
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
      return Objects.requireNonNull(result, "the allocator's consumption");
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
      if (seconds < 0) {
        throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
      }
      if (failure != null) {
        throw new IllegalStateException("a take of this consumption failed already", failure);
      }
      if (seconds == 0) {
        return 0;
      }
      try {
        return sql.step(connection, sql.take, grant.id(), seconds);
      } catch (SQLException e) {
        failure = e;
        throw new IllegalStateException("taking from grant '" + grant.id() + "' failed: " + e.getMessage(), e);
      }
    }
  }
}
