package dev.allotment.jdbc;

import static dev.allotment.jdbc.Sql.Column;

import dev.allotment.core.Assignment;
import dev.allotment.core.AssignmentBuilder;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.Predecessor;
import dev.allotment.core.Suspension;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.KeyConflictException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link AssignmentStore} over {@code allotment_assignment}, whose package reference is a foreign
 * key into the catalog.
 *
 * <p>Every row has a {@code version} (schema V4): 0 when added, one more on every replace and on
 * every reprice marker {@link JdbcUnitOfWork} clears; a unit of work locks the rows of the versions
 * it checks, so a replace racing it waits for its commit.
 *
 * <p>Schema V7 keeps an assignment's suspensions (their text form, NULL or empty for none), its
 * predecessor (two columns, both NULL for none) and its schedule anchor (NULL when it is the start
 * date).
 *
 * <p>Thread-safe. {@link #add} is one insert-if-absent; {@link #replace} one compare-and-set
 * {@code UPDATE ... SET <every column>, version = version + 1 WHERE id = ? AND version = ?}, so two
 * writers holding the same expected version can never both win; {@link #change} that update and
 * the successor's insert-if-absent in one transaction; {@link #page} is keyset paging on
 * the primary key (or on the per-customer index), so a page costs the same wherever it starts. Ids a column cannot keep
 * (see {@link Columns#storable(String, String)}) are refused when written and found nowhere when
 * looked up; as a page's {@code afterId} they are refused.
 */
final class JdbcAssignmentStore implements AssignmentStore {
  static final String TABLE = "allotment_assignment";

  /** The suspensions column's length: {@link Suspension#MAX_PER_ASSIGNMENT} suspensions fit it. */
  static final int SUSPENSIONS_LENGTH = 4000;

  static final List<Column> COLUMNS = List.of(
      new Column("id", "VARCHAR(100)", Types.VARCHAR),
      new Column("customer_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("did", "VARCHAR(32)", Types.VARCHAR),
      new Column("package_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("quantity", "INTEGER", Types.INTEGER),
      new Column("start_date", "DATE", Types.DATE),
      new Column("end_date", "DATE", Types.DATE),
      new Column("auto_decrement_credit", "BOOLEAN", Types.BOOLEAN),
      new Column("minutes", "INTEGER", Types.INTEGER),
      new Column("reprice_from", "DATE", Types.DATE),
      new Column("own_retail", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("own_cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("own_setup_retail", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("own_setup_cost", Columns.MONEY_TYPE, Types.NUMERIC),
      new Column("suspensions", "VARCHAR(" + SUSPENSIONS_LENGTH + ")", Types.VARCHAR),
      new Column("previous_assignment_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("previous_package_id", "VARCHAR(100)", Types.VARCHAR),
      new Column("schedule_anchor", "DATE", Types.DATE),
      new Column("customer_hash", "INTEGER", Types.INTEGER));

  private static final String SELECT = "SELECT " + Sql.names(COLUMNS) + ", version FROM " + TABLE;

  /** Sets every column but the id and customer (which a replace keeps) where the version is the expected one. */
  private static final String REPLACE = "UPDATE " + TABLE + " SET "
      + String.join(", ", COLUMNS.subList(2, COLUMNS.size()).stream().map(c -> c.name() + " = ?").toList())
      + ", version = version + 1 WHERE id = ? AND version = ?";

  private final Database db;
  private final String insert;

  JdbcAssignmentStore(Database db) {
    this.db = db;
    this.insert = Sql.insertIfAbsent(db.dialect, TABLE, COLUMNS, List.of("id"));
  }

  /** {@inheritDoc} The row goes in at the column's default version, 0; the events last, in its transaction. */
  @Override
  public boolean add(Assignment assignment, List<BillingEvent> events) {
    Objects.requireNonNull(assignment, "assignment");
    Object[] row = row(assignment);
    List<Object[]> eventRows = eventRows(events);
    return db.transaction("add assignment '" + assignment.id() + "'", connection -> {
      if (insert(connection, assignment, row)) {
        EventSql.write(connection, db.dialect, eventRows);
        return true;
      }
      // The id is held (committed: an insert-if-absent waits for a concurrent inserter's outcome).
      Assignment held = find(connection, assignment.id()).orElseThrow(
          () -> new IllegalStateException("assignment '" + assignment.id() + "' was neither inserted nor found"));
      if (held.sameTermsAs(assignment)) {
        return false;
      }
      throw conflict(held, assignment);
    });
  }

  @Override
  public Optional<Assignment> find(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    if (!Columns.storable(assignmentId)) {
      return Optional.empty();
    }
    return db.transaction("find assignment '" + assignmentId + "'", connection -> find(connection, assignmentId));
  }

  private static Optional<Assignment> find(Connection connection, String assignmentId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SELECT + " WHERE id = ?")) {
      statement.setString(1, assignmentId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static List<Object[]> eventRows(List<BillingEvent> events) {
    Objects.requireNonNull(events, "events");
    List<Object[]> rows = new ArrayList<>(events.size());
    events.forEach(event -> rows.add(EventSql.row(event)));
    return rows;
  }

  @Override
  public Optional<Assignment> replace(Assignment expected, Assignment updated, List<BillingEvent> events) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(updated, "updated");
    List<Object[]> eventRows = eventRows(events);
    if (!expected.id().equals(updated.id()) || !expected.customerId().equals(updated.customerId())) {
      throw new IllegalArgumentException("replace must keep id and customer: " + expected + " -> " + updated);
    }
    Object[] to = row(updated);
    return db.transaction("replace assignment '" + expected.id() + "'", connection -> {
      if (!update(connection, expected, updated, to)) {
        return Optional.empty();
      }
      EventSql.write(connection, db.dialect, eventRows);
      // Every column is as bound (the checks in row() keep values exact), so this is the row as stored.
      return Optional.of(updated.withVersion(expected.version() + 1));
    });
  }

  /**
   * {@inheritDoc} One transaction: the compare-and-set update of {@link #replace}, then the
   * successor's insert-if-absent (a held id is read back: same terms, kept; other terms, the
   * transaction is rolled back and {@link KeyConflictException} thrown), then the events. When the
   * version differs nothing is written, but a successor id held with other terms is still reported
   * as a conflict, as the in-memory store does.
   */
  @Override
  public Optional<Assignment> change(Assignment expected, Assignment updated, Assignment successor,
      List<BillingEvent> events) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(updated, "updated");
    Objects.requireNonNull(successor, "successor");
    List<Object[]> eventRows = eventRows(events);
    if (!expected.id().equals(updated.id()) || !expected.customerId().equals(updated.customerId())) {
      throw new IllegalArgumentException("change must keep id and customer: " + expected + " -> " + updated);
    }
    Object[] to = row(updated);
    Object[] next = row(successor);
    return db.transaction("change assignment '" + expected.id() + "' to '" + successor.id() + "'", connection -> {
      if (!update(connection, expected, updated, to)) {
        Optional<Assignment> held = find(connection, successor.id());
        if (held.isPresent() && !held.get().sameTermsAs(successor)) {
          throw conflict(held.get(), successor);
        }
        return Optional.empty();
      }
      if (!insert(connection, successor, next)) {
        // The id is held (committed: an insert-if-absent waits for a concurrent inserter's outcome).
        Assignment held = find(connection, successor.id()).orElseThrow(() -> new IllegalStateException(
            "assignment '" + successor.id() + "' was neither inserted nor found"));
        if (!held.sameTermsAs(successor)) {
          throw conflict(held, successor); // rolls back the update
        }
      }
      EventSql.write(connection, db.dialect, eventRows);
      return Optional.of(updated.withVersion(expected.version() + 1));
    });
  }

  private static KeyConflictException conflict(Assignment held, Assignment given) {
    return new KeyConflictException("assignment id '" + given.id() + "' is already held with other terms: " + held
        + ", not " + given);
  }

  /** Inserts the row unless its id is held; true when it inserted it. */
  private boolean insert(Connection connection, Assignment assignment, Object[] row) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(insert)) {
      Sql.bind(statement, COLUMNS, row);
      return executeNamingPackage(statement, assignment) == 1;
    }
  }

  /** The compare-and-set update of {@code expected} to {@code updated} (row {@code to}); true when it matched. */
  private static boolean update(Connection connection, Assignment expected, Assignment updated, Object[] to)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(REPLACE)) {
      // SET binds the updated did .. schedule_anchor (columns 2..), WHERE the id and the expected version.
      for (int i = 2; i < COLUMNS.size(); i++) {
        Sql.set(statement, i - 1, COLUMNS.get(i), to[i]);
      }
      statement.setString(COLUMNS.size() - 1, expected.id());
      statement.setLong(COLUMNS.size(), expected.version());
      return executeNamingPackage(statement, updated) == 1;
    }
  }

  /** Runs an insert or update, turning a dangling package reference into an error that names it. */
  private static int executeNamingPackage(PreparedStatement statement, Assignment assignment) throws SQLException {
    try {
      return statement.executeUpdate();
    } catch (SQLException e) {
      if (Database.isMissingReference(e)) {
        throw new IllegalArgumentException("packageId '" + assignment.packageId() + "' of assignment '"
            + assignment.id() + "' names no package in the catalog", e);
      }
      throw e;
    }
  }

  @Override
  public List<Assignment> page(Optional<String> customerId, Optional<String> afterId, int limit) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(afterId, "afterId");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    // A position no stored id can be (and PostgreSQL could not compare) is a caller's mistake.
    afterId.ifPresent(id -> Columns.storable("afterId", id));
    if (customerId.isPresent() && !Columns.storable(customerId.get())) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder(SELECT);
    List<String> parameters = new ArrayList<>();
    String glue = " WHERE ";
    if (customerId.isPresent()) {
      sql.append(glue).append("customer_id = ?");
      parameters.add(customerId.get());
      glue = " AND ";
    }
    if (afterId.isPresent()) {
      sql.append(glue).append("id > ?");
      parameters.add(afterId.get());
    }
    sql.append(" ORDER BY id FETCH FIRST ? ROWS ONLY");
    return db.transaction("read a page of assignments", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
        for (int i = 0; i < parameters.size(); i++) {
          statement.setString(i + 1, parameters.get(i));
        }
        statement.setInt(parameters.size() + 1, limit);
        // Hint the driver to stream rather than buffer when a host asks for huge pages.
        statement.setFetchSize(Math.min(limit, 1000));
        List<Assignment> page = new ArrayList<>(Math.min(limit, 1024));
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            page.add(read(rs));
          }
        }
        return page;
      }
    });
  }

  /**
   * {@inheritDoc} Filtered in SQL on {@code customer_hash} (schema V10), so a partition reads its own
   * rows only; a row without a hash (written by an older release) is read by every partition and
   * kept by its own.
   */
  @Override
  public List<Assignment> pageInPartition(int index, int count, Optional<String> afterId, int limit) {
    Objects.requireNonNull(afterId, "afterId");
    AssignmentStore.checkPartition(index, count);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    afterId.ifPresent(id -> Columns.storable("afterId", id));
    String where = SELECT + " WHERE (customer_hash IS NULL OR MOD(MOD(customer_hash, ?) + ?, ?) = ?)";
    String first = where + " ORDER BY id FETCH FIRST ? ROWS ONLY";
    String after = where + " AND id > ? ORDER BY id FETCH FIRST ? ROWS ONLY";
    return db.transaction("read a page of partition " + index + "/" + count, connection -> {
      List<Assignment> members = new ArrayList<>(Math.min(limit, 1024));
      Optional<String> from = afterId;
      while (true) {
        int asked = limit - members.size();
        int read = 0;
        String last = null;
        try (PreparedStatement statement = connection.prepareStatement(from.isPresent() ? after : first)) {
          int p = 1;
          statement.setInt(p++, count);
          statement.setInt(p++, count);
          statement.setInt(p++, count);
          statement.setInt(p++, index);
          if (from.isPresent()) {
            statement.setString(p++, from.get());
          }
          statement.setInt(p, asked);
          statement.setFetchSize(Math.min(limit, 1000));
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              Assignment assignment = read(rs);
              read++;
              last = assignment.id();
              if (Math.floorMod(assignment.customerId().hashCode(), count) == index) {
                members.add(assignment);
              }
            }
          }
        }
        // Fewer rows than asked: none are left. Only rows without a hash of other partitions, dropped
        // above, leave the page short with rows still to read.
        if (read < asked || members.size() == limit) {
          return members;
        }
        from = Optional.of(last);
      }
    });
  }

  static Object[] row(Assignment a) {
    String did = a.did().map(d -> Columns.text("did of assignment '" + a.id() + "'", d, Columns.DID_LENGTH))
        .orElse(null);
    return new Object[] {
        Columns.storable("assignment id", a.id()),
        Columns.storable("customerId of assignment '" + a.id() + "'", a.customerId()),
        did,
        Columns.storable("packageId of assignment '" + a.id() + "'", a.packageId()),
        a.quantity(),
        Columns.date("startDate of assignment '" + a.id() + "'", a.startDate()),
        a.endDate().map(d -> Columns.date("endDate of assignment '" + a.id() + "'", d)).orElse(null),
        a.autoDecrementCredit(),
        a.minutes().isPresent() ? (Object) a.minutes().getAsInt() : null,
        a.repriceFrom().map(d -> Columns.date("repriceFrom of assignment '" + a.id() + "'", d)).orElse(null),
        a.ownPrices().retail().orElse(null),
        a.ownPrices().cost().orElse(null),
        a.ownPrices().setupRetail().orElse(null),
        a.ownPrices().setupCost().orElse(null),
        a.suspensions().isEmpty() ? null
            : Columns.text("suspensions of assignment '" + a.id() + "'", Suspension.format(a.suspensions()),
                SUSPENSIONS_LENGTH),
        a.previous().map(p -> Columns.storable("previous assignmentId of assignment '" + a.id() + "'",
            p.assignmentId())).orElse(null),
        a.previous().map(p -> Columns.storable("previous packageId of assignment '" + a.id() + "'", p.packageId()))
            .orElse(null),
        // NULL is the start date, as for every assignment stored before schema V7.
        a.scheduleAnchor().equals(a.startDate()) ? null
            : Columns.date("scheduleAnchor of assignment '" + a.id() + "'", a.scheduleAnchor()),
        a.customerId().hashCode()};
  }

  /** The row's predecessor: both columns NULL is none; one of them alone is a row no assignment wrote. */
  private static Optional<Predecessor> previous(ResultSet rs) throws SQLException {
    String assignmentId = rs.getString("previous_assignment_id");
    String packageId = rs.getString("previous_package_id");
    if (assignmentId == null && packageId == null) {
      return Optional.empty();
    }
    if (assignmentId == null || packageId == null) {
      throw new IllegalArgumentException("previous_assignment_id and previous_package_id must both be NULL or"
          + " neither, were " + assignmentId + " and " + packageId);
    }
    return Optional.of(new Predecessor(assignmentId, packageId));
  }

  /** The own prices of the row: NULL columns are the package's prices. */
  private static OwnPrices ownPrices(ResultSet rs) throws SQLException {
    OwnPrices prices = OwnPrices.NONE;
    BigDecimal price = rs.getBigDecimal("own_retail");
    prices = price == null ? prices : prices.withRetail(price);
    price = rs.getBigDecimal("own_cost");
    prices = price == null ? prices : prices.withCost(price);
    price = rs.getBigDecimal("own_setup_retail");
    prices = price == null ? prices : prices.withSetupRetail(price);
    price = rs.getBigDecimal("own_setup_cost");
    return price == null ? prices : prices.withSetupCost(price);
  }

  private static Assignment read(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    try {
      AssignmentBuilder builder = Assignment.builder(id)
          .customerId(rs.getString("customer_id"))
          .packageId(rs.getString("package_id"))
          .quantity(rs.getInt("quantity"))
          .startDate(Columns.getDate(rs, "start_date"))
          .autoDecrementCredit(rs.getBoolean("auto_decrement_credit"));
      String did = rs.getString("did");
      if (did != null) {
        builder.did(did);
      }
      LocalDate endDate = Columns.getDate(rs, "end_date");
      if (endDate != null) {
        builder.endDate(endDate);
      }
      int minutes = rs.getInt("minutes");
      if (!rs.wasNull()) {
        builder.minutes(minutes);
      }
      LocalDate repriceFrom = Columns.getDate(rs, "reprice_from");
      if (repriceFrom != null) {
        builder.repriceFrom(repriceFrom);
      }
      String suspensions = rs.getString("suspensions");
      if (suspensions != null && !suspensions.isEmpty()) {
        builder.suspensions(Suspension.parseList(suspensions));
      }
      previous(rs).ifPresent(builder::previous);
      LocalDate anchor = Columns.getDate(rs, "schedule_anchor");
      if (anchor != null) {
        builder.scheduleAnchor(anchor);
      }
      return builder.ownPrices(ownPrices(rs)).version(rs.getLong("version")).build();
    } catch (IllegalArgumentException e) {
      throw new JdbcStoreException("assignment '" + id + "' as stored in " + TABLE + " is not valid: "
          + e.getMessage());
    }
  }
}
