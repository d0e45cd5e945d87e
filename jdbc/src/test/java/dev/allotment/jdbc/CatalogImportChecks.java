package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Frequency;
import dev.allotment.core.ServicePackage;
import dev.allotment.engine.CatalogJson;
import dev.allotment.engine.PackageBilling;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Importing a catalog document stores all of it or nothing: one transaction on the database. */
abstract class CatalogImportChecks {
  private static final ServicePackage FIRST = ServicePackage.builder("first").name("First").currency("USD")
      .retail("5.00").frequency(Frequency.MONTHLY).build();
  private static final ServicePackage SECOND = ServicePackage.builder("second").name("Second").currency("USD")
      .retail("7.00").frequency(Frequency.MONTHLY).build();

  abstract TestDatabase db();

  /** Fails the {@code n}-th execution of the catalog's upsert, as a connection lost mid-transaction would. */
  private static final class FailingNthUpsert extends ForwardingDataSource {
    private final AtomicInteger upserts = new AtomicInteger();
    private final int n;

    FailingNthUpsert(DataSource target, int n) {
      super(target);
      this.n = n;
    }

    @Override
    Connection wrap(Connection connection) {
      return hookPrepared(connection, sql -> {
        if (sql.contains(JdbcPackageCatalog.TABLE) && (sql.startsWith("INSERT") || sql.startsWith("MERGE"))
            && upserts.incrementAndGet() == n) {
          throw new SQLException("injected failure executing: " + sql, FailingDataSource.STATE);
        }
      });
    }
  }

  private static PackageBilling engine(JdbcStores stores) {
    return PackageBilling.builder().clock(EngineFixtures.clock()).stores(stores).build();
  }

  @Test
  void aDocumentWhoseSecondPackageIsBadStoresNothing() {
    JdbcStores stores = db().freshStores();
    String json = CatalogJson.write(List.of(FIRST, SECOND)).replace("\"retail\" : \"7.00\"",
        "\"retail\" : \"1E+999999999\"");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine(stores).importCatalog(json));
    assertTrue(e.getMessage().startsWith("packages[1] (id 'second'): retail must have at most 7 integer"),
        e.getMessage());
    assertEquals(List.of(), stores.catalog().all());
  }

  @Test
  void aDatabaseFailureWritingTheSecondPackageRollsBackTheFirst() {
    db().freshStores();
    JdbcStores failing = JdbcStores.builder(new FailingNthUpsert(db().dataSource(), 2)).migrateOnStart(false).build();
    JdbcStoreException e = assertThrows(JdbcStoreException.class,
        () -> engine(failing).importCatalog(CatalogJson.write(List.of(FIRST, SECOND))));
    assertTrue(e.getMessage().contains("define 2 packages"), e.getMessage());
    JdbcStores stores = JdbcStores.builder(db().dataSource()).migrateOnStart(false).build();
    assertEquals(List.of(), stores.catalog().all(), "the first package went with the second");

    engine(stores).importCatalog(CatalogJson.write(List.of(FIRST, SECOND)));
    assertEquals(List.of(FIRST, SECOND), stores.catalog().all());
  }
}
