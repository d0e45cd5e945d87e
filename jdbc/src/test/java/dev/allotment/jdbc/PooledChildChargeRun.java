package dev.allotment.jdbc;

import dev.allotment.engine.CreditPolicy;
import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunRequest;
import java.time.LocalDate;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The program {@link ChildCharge} starts in a child JVM and kills: one CHARGE run (ALLOW_NEGATIVE)
 * of whatever the PostgreSQL schema at the given URL holds, through a small connection pool,
 * streaming its report (memory stays flat), printing {@value #COMMITTING} as it hands a batch to
 * the unit of work, {@value ChildChargeRun#PROGRESS} and the number of new lines after each
 * committed batch and {@value ChildChargeRun#DONE} if it ever
 * finishes. Its connections carry the application name {@value #APPLICATION_NAME}, by which the
 * parent finds the server sessions of a killed child.
 *
 * <p>Arguments: the JDBC URL (with credentials and {@code currentSchema}), the run date, the batch
 * size, the page size.
 */
final class PooledChildChargeRun {
  static final String APPLICATION_NAME = "allotment-pooled-child-charge-run";
  /** Printed as a batch is handed to the unit of work, before its transaction begins. */
  static final String COMMITTING = "commit-start";

  private PooledChildChargeRun() {}

  public static void main(String[] args) {
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    pg.setUrl(args[0]);
    pg.setApplicationName(APPLICATION_NAME);
    JdbcConnectionPool pool = JdbcConnectionPool.create(pg);
    pool.setMaxConnections(4);
    JdbcStores stores = JdbcStores.builder(pool).dialect(JdbcStores.Dialect.POSTGRESQL).migrateOnStart(false)
        .build();
    PackageBilling billing = MixedScenario.engine(stores, CreditPolicy.ALLOW_NEGATIVE, Integer.parseInt(args[2]),
        Integer.parseInt(args[3]), unitOfWork -> {
          RecordingUnitOfWork recording = new RecordingUnitOfWork(unitOfWork, added -> {
            System.out.println(ChildChargeRun.PROGRESS + added);
            System.out.flush();
          });
          return batch -> {
            System.out.println(COMMITTING);
            System.out.flush();
            return recording.commit(batch);
          };
        });
    billing.run(RunRequest.of(LocalDate.parse(args[1]), RunMode.CHARGE), line -> { });
    System.out.println(ChildChargeRun.DONE);
    System.out.flush();
    pool.dispose();
  }
}
