package dev.allotment.jdbc;

import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantSeconds;
import dev.allotment.core.GrantTaker;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.jdbc.Sql.Column;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.UsageAllocator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A batch of calls consumed in one transaction ({@code JdbcFreeMinuteStore.consumeAll}): a handful
 * of statements for the whole batch instead of a transaction per call.
 *
 * <ol>
 *   <li><b>Claim the usage ids</b>, in id order: one insert-if-absent of every call's row. The ids
 *       it did not insert are held (committed, or being consumed by a transaction this one waited
 *       for); their stored consumptions are read back, and a held id whose call differs fails the
 *       whole batch with {@link UsageConflictException}, nothing written.
 *   <li><b>Lock the grants</b> the new calls may use: those of their customers valid somewhere in the
 *       batch's span of call starts and not revoked, locked in (customer, valid-from, id) order, which
 *       is the order a single consumption locks one customer's grants in, so batches and single
 *       consumptions wait for each other and never deadlock.
 *   <li><b>Allocate</b> the new calls in the order given, with the engine's allocator, taking from
 *       the locked grants' used seconds as they stand after the calls before: never more than a grant
 *       holds, since nothing else can take from a locked grant.
 *   <li><b>Write</b> each grant's new used seconds, every take, the rounded seconds that differ from
 *       the durations, and the threshold events: one statement each (JDBC batches on H2).
 * </ol>
 *
 * <p>Confined to one transaction; a retried transaction runs a new instance.
 */
final class BatchConsumption {
  private static final Comparator<GrantBalance> LOCK_ORDER = Comparator
      .comparing((GrantBalance b) -> b.grant().customerId())
      .thenComparing(b -> b.grant().validFrom())
      .thenComparing(b -> b.grant().id());

  static final List<Column> TAKE_COLUMNS = List.of(
      new Column("usage_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("take_order", "INTEGER", Types.INTEGER),
      new Column("grant_id", "VARCHAR(200)", Types.VARCHAR),
      new Column("seconds", "BIGINT", Types.BIGINT));

  private static final List<Column> ID_AND_NUMBER = List.of(
      new Column("id", "VARCHAR(200)", Types.VARCHAR),
      new Column("n", "BIGINT", Types.BIGINT));

  private final Connection connection;
  private final Dialect dialect;
  private final FreeMinuteSql sql;

  BatchConsumption(Connection connection, Dialect dialect, FreeMinuteSql sql) {
    this.connection = connection;
    this.dialect = dialect;
    this.sql = sql;
  }

  /** Consumes {@code usages} (ids distinct, rows checked) and returns their consumptions in that order. */
  List<Consumption> run(List<UsageRecord> usages, List<Object[]> rows, UsageAllocator allocator)
      throws SQLException {
    Set<String> claimed = claim(usages, rows);
    Map<String, Consumption> results = new HashMap<>();
    List<UsageRecord> fresh = new ArrayList<>();
    for (UsageRecord usage : usages) {
      if (claimed.contains(usage.usageId())) {
        fresh.add(usage);
      } else {
        Consumption held = FreeMinuteSql.consumption(connection, usage.usageId()).orElseThrow(
            () -> new JdbcStoreException("usage '" + usage.usageId() + "' was held but is gone (refunded while this"
                + " batch claimed it); consume the batch again"));
        if (!held.usage().equals(usage)) {
          throw new UsageConflictException(held.usage(), usage); // rolls the whole batch back
        }
        results.put(usage.usageId(), held);
      }
    }
    if (!fresh.isEmpty()) {
      allocate(fresh, allocator, results);
    }
    List<Consumption> ordered = new ArrayList<>(usages.size());
    usages.forEach(u -> ordered.add(results.get(u.usageId())));
    return ordered;
  }

  /** Inserts the rows of the calls unless their ids are held, in id order; returns the ids inserted. */
  private Set<String> claim(List<UsageRecord> usages, List<Object[]> rows) throws SQLException {
    List<Object[]> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing(r -> (String) r[0]));
    Set<String> inserted = new TreeSet<>();
    if (dialect == Dialect.POSTGRESQL) {
      String insert = Sql.insertUnnest(FreeMinuteSql.USAGES, FreeMinuteSql.USAGE_COLUMNS,
          "ON CONFLICT (usage_id) DO NOTHING RETURNING usage_id");
      try (PreparedStatement statement = connection.prepareStatement(insert)) {
        Sql.bindArrays(connection, statement, FreeMinuteSql.USAGE_COLUMNS, sorted);
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            inserted.add(rs.getString(1));
          }
        }
      }
      return inserted;
    }
    try (PreparedStatement statement = connection.prepareStatement(sql.insertUsage)) {
      for (Object[] row : sorted) {
        Sql.bind(statement, FreeMinuteSql.USAGE_COLUMNS, row);
        if (statement.executeUpdate() == 1) {
          inserted.add((String) row[0]);
        }
      }
    }
    return inserted;
  }

  private void allocate(List<UsageRecord> fresh, UsageAllocator allocator, Map<String, Consumption> results)
      throws SQLException {
    Map<String, List<GrantBalance>> byCustomer = lockGrants(fresh);
    Map<String, long[]> used = new HashMap<>();
    byCustomer.values().forEach(list -> list.forEach(b -> used.put(b.grant().id(), new long[] {b.usedSeconds()})));
    Map<String, Long> taken = new LinkedHashMap<>();
    List<Object[]> takeRows = new ArrayList<>();
    List<Object[]> rounded = new ArrayList<>();
    List<BillingEvent> events = new ArrayList<>();
    for (UsageRecord usage : fresh) {
      List<Grant> offered = new ArrayList<>();
      for (GrantBalance balance : byCustomer.getOrDefault(usage.customerId(), List.of())) {
        if (balance.grant().isValidAt(usage.start())) {
          offered.add(balance.grant());
        }
      }
      Consumption result = Objects.requireNonNull(allocator.allocate(usage, offered, new Taker(offered, used)),
          "the allocator's consumption");
      results.put(usage.usageId(), result);
      List<GrantSeconds> takes = result.takes();
      List<GrantBalance> after = new ArrayList<>(takes.size());
      for (int i = 0; i < takes.size(); i++) {
        GrantSeconds take = takes.get(i);
        takeRows.add(new Object[] {usage.usageId(), i, take.grantId(), take.seconds()});
        taken.merge(take.grantId(), take.seconds(), Long::sum);
      }
      for (Grant grant : offered) {
        if (result.takenFrom(grant.id()) > 0) {
          after.add(new GrantBalance(grant, used.get(grant.id())[0]));
        }
      }
      if (!after.isEmpty()) {
        events.addAll(allocator.events(result, List.copyOf(after)));
      }
      if (result.roundedSeconds() != usage.durationSeconds()) {
        rounded.add(new Object[] {usage.usageId(), result.roundedSeconds()});
      }
    }
    List<Object[]> moved = new ArrayList<>(taken.size());
    taken.forEach((grantId, seconds) -> moved.add(new Object[] {grantId, seconds}));
    update("UPDATE " + FreeMinuteSql.GRANTS + " SET used_seconds = used_seconds + ? WHERE id = ?",
        "UPDATE " + FreeMinuteSql.GRANTS + " g SET used_seconds = g.used_seconds + u.n FROM "
            + Sql.unnest(ID_AND_NUMBER) + " WHERE g.id = u.id", moved);
    Sql.writeRows(dialect, connection, dialect == Dialect.POSTGRESQL
        ? Sql.insertUnnest(FreeMinuteSql.TAKES, TAKE_COLUMNS, "") : FreeMinuteSql.INSERT_TAKE, TAKE_COLUMNS, takeRows,
        JdbcChargeJournal.CHUNK);
    update("UPDATE " + FreeMinuteSql.USAGES + " SET rounded_seconds = ? WHERE usage_id = ?",
        "UPDATE " + FreeMinuteSql.USAGES + " t SET rounded_seconds = u.n FROM " + Sql.unnest(ID_AND_NUMBER)
            + " WHERE t.usage_id = u.id", rounded);
    List<Object[]> eventRows = new ArrayList<>(events.size());
    events.forEach(e -> eventRows.add(EventSql.row(e)));
    EventSql.write(connection, dialect, eventRows);
  }

  /** Updates rows of (id, number): on PostgreSQL one statement over arrays, on H2 a JDBC batch (number first). */
  private void update(String h2, String postgres, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    if (dialect == Dialect.POSTGRESQL) {
      try (PreparedStatement statement = connection.prepareStatement(postgres)) {
        Sql.bindArrays(connection, statement, ID_AND_NUMBER, rows);
        statement.executeUpdate();
      }
      return;
    }
    try (PreparedStatement statement = connection.prepareStatement(h2)) {
      for (Object[] row : rows) {
        statement.setLong(1, (Long) row[1]);
        statement.setString(2, (String) row[0]);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /**
   * Locks the grants of the calls' customers valid somewhere in [earliest start, latest start] and
   * not revoked, in (customer, valid-from, id) order; returns them by customer, each customer's in
   * (valid-from, id) order, the order the allocator expects.
   */
  private Map<String, List<GrantBalance>> lockGrants(List<UsageRecord> fresh) throws SQLException {
    TreeSet<String> customers = new TreeSet<>();
    Instant first = null;
    Instant last = null;
    for (UsageRecord usage : fresh) {
      customers.add(usage.customerId());
      first = first == null || usage.start().isBefore(first) ? usage.start() : first;
      last = last == null || usage.start().isAfter(last) ? usage.start() : last;
    }
    List<GrantBalance> locked = new ArrayList<>();
    OffsetDateTime latest = FreeMinuteSql.bound(last, true);
    OffsetDateTime earliest = FreeMinuteSql.bound(first, false);
    if (dialect == Dialect.POSTGRESQL) {
      String select = FreeMinuteSql.SELECT_GRANTS + " WHERE customer_id = ANY(?::varchar[])" + FreeMinuteSql.VALID_AT
          + FreeMinuteSql.NOT_REVOKED + " ORDER BY customer_id, valid_from, id FOR UPDATE";
      try (PreparedStatement statement = connection.prepareStatement(select)) {
        statement.setArray(1, Sql.textArray(connection, List.copyOf(customers)));
        statement.setObject(2, latest);
        statement.setObject(3, earliest);
        read(statement, locked);
      }
    } else {
      // H2 locks in scan order: one customer at a time, in customer order, on the index a single
      // consumption locks through.
      try (PreparedStatement statement = connection.prepareStatement(sql.lockValidGrants)) {
        for (String customer : customers) {
          statement.setString(1, customer);
          statement.setObject(2, latest);
          statement.setObject(3, earliest);
          read(statement, locked);
        }
      }
    }
    locked.sort(LOCK_ORDER);
    Map<String, List<GrantBalance>> byCustomer = new TreeMap<>();
    locked.forEach(b -> byCustomer.computeIfAbsent(b.grant().customerId(), c -> new ArrayList<>()).add(b));
    return byCustomer;
  }

  private static void read(PreparedStatement statement, List<GrantBalance> into) throws SQLException {
    try (ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        into.add(FreeMinuteSql.readBalance(rs));
      }
    }
  }

  /** Takes from the locked grants in memory: up to what each has left after the batch's earlier calls. */
  private static final class Taker implements GrantTaker {
    private final Map<String, Grant> offered = new HashMap<>();
    private final Map<String, long[]> used;

    Taker(List<Grant> offered, Map<String, long[]> used) {
      offered.forEach(g -> this.offered.put(g.id(), g));
      this.used = used;
    }

    @Override
    public long take(Grant grant, long seconds) {
      Objects.requireNonNull(grant, "grant");
      if (!grant.equals(offered.get(grant.id()))) {
        throw new IllegalArgumentException("grant '" + grant.id() + "' is not a grant of the call's customer valid at"
            + " its start");
      }
      if (seconds < 0) {
        throw new IllegalArgumentException("seconds must be >= 0, was " + seconds);
      }
      long[] u = used.get(grant.id());
      long taken = Math.max(0, Math.min(seconds, grant.allocatedSeconds() - u[0]));
      u[0] += taken;
      return taken;
    }
  }
}
