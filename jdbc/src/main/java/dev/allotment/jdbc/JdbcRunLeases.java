package dev.allotment.jdbc;

import dev.allotment.jdbc.JdbcStores.Dialect;
import dev.allotment.spi.FleetStatus;
import dev.allotment.spi.RunLease;
import dev.allotment.spi.RunLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RunLeases} over {@code allotment_run_partition}, one row per partition of a fleet run.
 *
 * <p>A claim is one transaction: {@code SELECT ... FOR UPDATE SKIP LOCKED} of the lowest claimable
 * row (not done; no lease, or one expired at the caller's instant), then an {@code UPDATE} giving it
 * a new token and expiry. Two claimers racing for a row never both get it: the second skips the row
 * the first locked and takes the next. Renew and complete are single {@code UPDATE}s conditioned on
 * the token, so a lease taken over (new token) is refused. Plain SQL: no advisory lock, no
 * procedural code, so CockroachDB and YugabyteDB run it too.
 *
 * <p>H2 (2.4.240) parses {@code SKIP LOCKED}, but concurrent claims with it often found nothing
 * while partitions were claimable (observed in {@code RunLeasesContract}: it seems to apply the
 * {@code LIMIT} before skipping, so a claimer whose first row is locked gets none). On H2 a
 * claim therefore first locks the run's partition 0 row with a plain {@code FOR UPDATE} (waiting),
 * so claims of one run queue one after the other, then takes the lowest claimable row unlocked.
 * H2 serves one node; claims are rare (one per partition), so the queue costs nothing that matters.
 *
 * <p>Instants are the caller's, stored to the microsecond (finer parts are dropped): expiry is
 * decided by the engines' clock, never by the database server's.
 *
 * <p>Thread-safe: each call is a transaction of its own.
 */
final class JdbcRunLeases implements RunLeases {
  static final String TABLE = "allotment_run_partition";
  private static final String COUNT = "SELECT MIN(partition_count), MAX(partition_count), COUNT(*) FROM " + TABLE
      + " WHERE run_id = ?";
  private static final String CLAIMABLE = "SELECT partition_no, partition_count FROM " + TABLE
      + " WHERE run_id = ? AND done_at IS NULL AND (lease_token IS NULL OR lease_expires_at <= ?)"
      + " ORDER BY partition_no LIMIT 1";
  /** H2's claims queue on the run's partition 0 (see the class comment). */
  private static final String H2_RUN_LOCK = "SELECT partition_no FROM " + TABLE
      + " WHERE run_id = ? AND partition_no = 0 FOR UPDATE";
  private static final String LEASE = "UPDATE " + TABLE + " SET lease_owner = ?, lease_token = ?, lease_expires_at = ?,"
      + " claims = claims + 1 WHERE run_id = ? AND partition_no = ?";
  private static final String RENEW = "UPDATE " + TABLE + " SET lease_expires_at = ?"
      + " WHERE run_id = ? AND partition_no = ? AND lease_token = ? AND done_at IS NULL";
  /** Keeps the first done_at: completing again changes nothing. */
  private static final String COMPLETE = "UPDATE " + TABLE + " SET done_at = COALESCE(done_at, ?)"
      + " WHERE run_id = ? AND partition_no = ? AND lease_token = ?";
  private static final String STATUS = "SELECT COUNT(*), COUNT(done_at),"
      + " SUM(CASE WHEN done_at IS NULL AND lease_expires_at > ? THEN 1 ELSE 0 END) FROM " + TABLE
      + " WHERE run_id = ?";

  private final Database db;
  private final String insert;
  private final String claimable;

  JdbcRunLeases(Database db) {
    this.db = db;
    String insert = "INSERT INTO " + TABLE + " (run_id, partition_no, partition_count) VALUES (?, ?, ?)";
    // PostgreSQL waits for a concurrent opener's rows and skips them; H2 reports the duplicate key,
    // and Database runs the work again, which then finds the run opened.
    this.insert = db.dialect == Dialect.POSTGRESQL ? insert + " ON CONFLICT DO NOTHING" : insert;
    this.claimable = db.dialect == Dialect.POSTGRESQL ? CLAIMABLE + " FOR UPDATE SKIP LOCKED" : CLAIMABLE;
  }

  @Override
  public void open(String runId, int partitions) {
    RunLeases.checkRun(runId, partitions);
    db.transaction("open fleet run " + runId, connection -> {
      if (count(connection, runId, partitions) == 0) {
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
          for (int i = 0; i < partitions; i++) {
            statement.setString(1, runId);
            statement.setInt(2, i);
            statement.setInt(3, partitions);
            statement.addBatch();
          }
          statement.executeBatch();
        }
        // A concurrent opener with another count may have inserted first: its rows are visible now.
        count(connection, runId, partitions);
      }
      return null;
    });
  }

  /** The run's rows, refusing a run opened with another count. */
  private static long count(Connection connection, String runId, int partitions) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(COUNT)) {
      statement.setString(1, runId);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        long rows = rs.getLong(3);
        if (rows > 0 && (rs.getInt(1) != partitions || rs.getInt(2) != partitions)) {
          throw new IllegalStateException("fleet run '" + runId + "' has " + rs.getInt(2) + " partitions, not "
              + partitions + ": every engine of a run must ask for the same count (or use another run id)");
        }
        return rows;
      }
    }
  }

  @Override
  public Optional<RunLease> claim(String runId, String owner, Instant now, Duration duration) {
    RunLeases.checkClaim(runId, owner, now, duration);
    Instant at = micros(now);
    Instant expiresAt = micros(now.plus(duration));
    return db.transaction("claim a partition of fleet run " + runId, connection -> {
      int partition;
      int partitions;
      if (db.dialect == Dialect.H2) {
        try (PreparedStatement statement = connection.prepareStatement(H2_RUN_LOCK)) {
          statement.setString(1, runId);
          statement.executeQuery().close();
        }
      }
      try (PreparedStatement statement = connection.prepareStatement(claimable)) {
        statement.setString(1, runId);
        statement.setObject(2, Columns.instant("now", at));
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          partition = rs.getInt(1);
          partitions = rs.getInt(2);
        }
      }
      String token = UUID.randomUUID().toString();
      try (PreparedStatement statement = connection.prepareStatement(LEASE)) {
        statement.setString(1, owner);
        statement.setString(2, token);
        statement.setObject(3, Columns.instant("expiresAt", expiresAt));
        statement.setString(4, runId);
        statement.setInt(5, partition);
        statement.executeUpdate();
      }
      return Optional.of(new RunLease(runId, partition, partitions, owner, token, expiresAt));
    });
  }

  @Override
  public Optional<RunLease> renew(RunLease lease, Instant now, Duration duration) {
    Objects.requireNonNull(lease, "lease");
    RunLeases.checkTerm(now, duration);
    Instant expiresAt = micros(now.plus(duration));
    int updated = update(RENEW, "renew " + lease, expiresAt, lease);
    return updated == 1 ? Optional.of(lease.until(expiresAt)) : Optional.empty();
  }

  @Override
  public boolean complete(RunLease lease, Instant now) {
    Objects.requireNonNull(lease, "lease");
    return update(COMPLETE, "complete " + lease, micros(Objects.requireNonNull(now, "now")), lease) == 1;
  }

  private int update(String sql, String operation, Instant instant, RunLease lease) {
    return db.transaction(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setObject(1, Columns.instant("instant", instant));
        statement.setString(2, lease.runId());
        statement.setInt(3, lease.partition());
        statement.setString(4, lease.token());
        return statement.executeUpdate();
      }
    });
  }

  @Override
  public FleetStatus status(String runId, Instant now) {
    Objects.requireNonNull(runId, "runId");
    Instant at = micros(Objects.requireNonNull(now, "now"));
    return db.transaction("read the status of fleet run " + runId, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(STATUS)) {
        statement.setObject(1, Columns.instant("now", at));
        statement.setString(2, runId);
        try (ResultSet rs = statement.executeQuery()) {
          rs.next();
          return new FleetStatus(runId, rs.getInt(1), rs.getInt(2), rs.getInt(3));
        }
      }
    });
  }

  /** Leases need no finer instant than the column keeps. */
  private static Instant micros(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS);
  }
}
