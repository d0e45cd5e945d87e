package dev.allotment.jdbc;

import dev.allotment.engine.RunMode;
import java.time.LocalDate;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The program {@link PostgresInterruptedRunTest} starts in a child JVM and kills: one CHARGE run of
 * {@link EngineFixtures} against the PostgreSQL schema at the given URL, printing
 * {@value #PROGRESS} and the number of new lines after each batch commit so the parent can watch
 * it, and {@value #DONE} if it ever finishes.
 *
 * <p>Arguments: the JDBC URL (with credentials and {@code currentSchema}), the run date, the batch
 * size, the page size. Connections are opened per store call (no pool) under the application name
 * {@value #APPLICATION_NAME}, by which the parent finds the child's server sessions.
 */
final class ChildChargeRun {
  static final String PROGRESS = "journal-commit ";
  static final String DONE = "run-complete";
  static final String APPLICATION_NAME = "allotment-child-charge-run";

  private ChildChargeRun() {}

  public static void main(String[] args) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(args[0]);
    dataSource.setApplicationName(APPLICATION_NAME);
    JdbcStores stores = JdbcStores.builder(dataSource).dialect(JdbcStores.Dialect.POSTGRESQL).migrateOnStart(false)
        .build();
    EngineFixtures.sequential(stores, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
        unitOfWork -> new RecordingUnitOfWork(unitOfWork, added -> {
          System.out.println(PROGRESS + added);
          System.out.flush();
        })).run(LocalDate.parse(args[1]), RunMode.CHARGE);
    System.out.println(DONE);
  }
}
