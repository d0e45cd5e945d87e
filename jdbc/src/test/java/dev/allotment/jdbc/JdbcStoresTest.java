package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.allotment.core.Money;
import dev.allotment.spi.BatchResult;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditEntry;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The entry point and the pieces that need no database. */
final class JdbcStoresTest {
  private static DataSource database(String product, int majorVersion) throws SQLException {
    DataSource dataSource = mock(DataSource.class);
    Connection connection = mock(Connection.class);
    DatabaseMetaData meta = mock(DatabaseMetaData.class);
    when(dataSource.getConnection()).thenReturn(connection);
    when(connection.getMetaData()).thenReturn(meta);
    when(meta.getDatabaseProductName()).thenReturn(product);
    when(meta.getDatabaseProductVersion()).thenReturn(majorVersion + ".0");
    when(meta.getDatabaseMajorVersion()).thenReturn(majorVersion);
    return dataSource;
  }

  @ParameterizedTest
  @ValueSource(strings = {"MySQL", "Oracle", "Microsoft SQL Server", "HSQL Database Engine", "SQLite"})
  void otherDatabasesAreRejectedByName(String product) throws SQLException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JdbcStores.create(database(product, 8)));
    assertTrue(e.getMessage().contains(product), e.getMessage());
    assertTrue(e.getMessage().contains("PostgreSQL and H2"), e.getMessage());
  }

  @Test
  void h2BeforeVersion2IsRejected() throws SQLException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JdbcStores.Dialect.of(database("H2", 1)));
    assertTrue(e.getMessage().contains("H2 2.x"), e.getMessage());
  }

  @Test
  void productNamesAreRecognised() throws SQLException {
    assertEquals(JdbcStores.Dialect.POSTGRESQL, JdbcStores.Dialect.of(database("PostgreSQL", 15)));
    assertEquals(JdbcStores.Dialect.H2, JdbcStores.Dialect.of(database("H2", 2)));
  }

  @Test
  void anUnreachableDatabaseIsAStoreErrorWithItsSqlState() {
    JdbcDataSource missing = new JdbcDataSource();
    missing.setURL("jdbc:h2:mem:never-created;IFEXISTS=TRUE");
    JdbcStoreException e = assertThrows(JdbcStoreException.class, () -> JdbcStores.create(missing));
    assertTrue(e.sqlState().isPresent(), e.getMessage());
  }

  @Test
  void h2InOracleModeIsRejected() {
    JdbcDataSource oracle = new JdbcDataSource();
    oracle.setURL("jdbc:h2:mem:oracle-mode;MODE=Oracle");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcStores.create(oracle));
    assertTrue(e.getMessage().contains("MODE=Oracle"), e.getMessage());
  }

  @Test
  void h2IgnoringCaseIsRejected() throws SQLException {
    JdbcDataSource caseless = new JdbcDataSource();
    caseless.setURL("jdbc:h2:mem:ignore-case-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;IGNORECASE=TRUE");
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcStores.create(caseless));
      assertTrue(e.getMessage().contains("IGNORECASE=TRUE"), e.getMessage());
      assertEquals(0, new Migrations(new Database(caseless, JdbcStores.Dialect.H2)).currentVersion(),
          "refused before anything was created");
    } finally {
      shutdown(caseless);
    }
  }

  @Test
  void allotmentTablesCreatedIgnoringCaseAreRejectedAfterTheSettingIsGone() throws SQLException {
    String name = "jdbc:h2:mem:created-ignoring-case-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcDataSource caseless = new JdbcDataSource();
    caseless.setURL(name + ";IGNORECASE=TRUE");
    // What a release without the check left behind: the schema migrated under IGNORECASE=TRUE.
    new Migrations(new Database(caseless, JdbcStores.Dialect.H2)).migrate();
    JdbcDataSource plain = new JdbcDataSource();
    plain.setURL(name);
    // The setting is the database's: turned off, it leaves the columns created under it as they are.
    try (Connection connection = plain.getConnection(); java.sql.Statement statement = connection.createStatement()) {
      statement.execute("SET IGNORECASE FALSE");
    }
    try {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JdbcStores.create(plain));
      assertTrue(e.getMessage().contains("VARCHAR_IGNORECASE"), e.getMessage());
      assertTrue(e.getMessage().contains("allotment_credit_entry.entry_key"), e.getMessage());
    } finally {
      shutdown(plain);
    }
  }

  @Test
  void onH2KeysDifferingOnlyInCaseAreDifferentKeys() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:case-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try {
      JdbcStores stores = JdbcStores.create(h2);
      Money ten = Money.of("10", "USD");
      assertTrue(stores.creditLedger().credit(new CreditEntry("A1/RECURRING", "c1", ten)));
      assertTrue(stores.creditLedger().credit(new CreditEntry("a1/RECURRING", "c1", ten)));
      assertEquals(Money.of("20", "USD"), stores.creditLedger().balance("c1", ten.currency()));
    } finally {
      shutdown(h2);
    }
  }

  private static void shutdown(DataSource h2) throws SQLException {
    try (Connection connection = h2.getConnection(); java.sql.Statement statement = connection.createStatement()) {
      statement.execute("SHUTDOWN");
    }
  }

  @Test
  void theStoresAreOneBundleHandingOutTheSameStoreEveryTime() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:bundle-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try {
      BillingStores stores = JdbcStores.create(h2);
      assertSame(stores.catalog(), stores.catalog());
      assertSame(stores.assignments(), stores.assignments());
      assertSame(stores.journal(), stores.journal());
      assertSame(stores.creditLedger(), stores.creditLedger());
      assertSame(stores.spend(), stores.spend());
      assertSame(stores.freeMinutes(), stores.freeMinutes());
      assertSame(stores.unitOfWork(), stores.unitOfWork());
      assertEquals(BatchResult.committed(0), stores.unitOfWork().commit(ChargeBatch.builder().build()));
    } finally {
      shutdown(h2);
    }
  }

  @Test
  void builderSettersAreSetOnce() {
    JdbcStores.Builder builder = JdbcStores.builder(new JdbcDataSource()).dialect(JdbcStores.Dialect.H2)
        .migrateOnStart(true);
    assertThrows(IllegalStateException.class, () -> builder.dialect(JdbcStores.Dialect.H2));
    assertThrows(IllegalStateException.class, () -> builder.migrateOnStart(false));
    assertThrows(NullPointerException.class, () -> JdbcStores.builder(null));
  }

  @ParameterizedTest
  @EnumSource(JdbcStores.Dialect.class)
  void everyScriptShipsForEveryDialect(JdbcStores.Dialect dialect) {
    int version = 0;
    for (Migrations.Script script : Migrations.SCRIPTS) {
      assertEquals(++version, script.version(), "scripts are numbered 1, 2, ... without gaps");
      String text = Migrations.read(script.resource(dialect));
      assertNotNull(text);
      assertTrue(!Migrations.statements(text).isEmpty(), script.resource(dialect));
    }
    assertEquals(version, JdbcStores.requiredSchemaVersion());
  }

  @Test
  void bothDialectsCreateTheSameTablesAndIndexes() {
    for (Migrations.Script script : Migrations.SCRIPTS) {
      assertEquals(objects(Migrations.read(script.resource(JdbcStores.Dialect.POSTGRESQL))),
          objects(Migrations.read(script.resource(JdbcStores.Dialect.H2))), script.name());
    }
  }

  private static Set<String> objects(String script) {
    Set<String> names = new java.util.TreeSet<>();
    for (String statement : Migrations.statements(script)) {
      String[] words = statement.replace("IF NOT EXISTS ", "").split("\\s+");
      names.add(words[1] + " " + words[2]);
    }
    return names;
  }

  @Test
  void scriptsSplitAtSemicolonsEndingALine() {
    assertEquals(List.of("CREATE TABLE t (\na INT)", "CREATE INDEX i ON t (a)"),
        Migrations.statements("-- comment; not a statement\nCREATE TABLE t (\n  a INT);\n\n  -- another\n"
            + "CREATE INDEX i ON t (a);\n"));
    assertThrows(IllegalStateException.class, () -> Migrations.statements("CREATE TABLE t (a INT)"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "a,b", "with\\,comma", "back\\\\slash", "\\", ",", "trailing\\"})
  void setsOfTextSurviveTheirColumn(String encodedOrNot) {
    Set<String> values = new java.util.TreeSet<>(List.of(encodedOrNot, "x", "y,z"));
    assertEquals(values, new java.util.TreeSet<>(Columns.decodeSet(Columns.encodeSet(values))));
    assertEquals(List.of(), Columns.decodeSet(Columns.encodeSet(List.of())));
  }

  @Test
  void anEmptyStringCannotBeStoredInASet() {
    assertThrows(IllegalArgumentException.class, () -> Columns.encodeSet(List.of("", "a")));
  }
}
