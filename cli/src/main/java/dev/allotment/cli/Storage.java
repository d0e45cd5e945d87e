package dev.allotment.cli;

import dev.allotment.core.Assignment;
import dev.allotment.engine.PackageBilling;
import dev.allotment.jdbc.JdbcStoreException;
import dev.allotment.jdbc.JdbcStores;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import javax.sql.ConnectionPoolDataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The database of one command: the embedded H2 file under {@code --data} (created and migrated on
 * first use) or the database of {@code --jdbc-url}; a connection pool on it, the stores, and the
 * engine on the billing clock of {@code --zone}. Closing it closes every connection, which also
 * closes an embedded database, so commands run one after another in one JVM (as the tests do)
 * exactly as separate processes would.
 */
final class Storage implements AutoCloseable {
  private static final Pattern SECRET = Pattern.compile("(?i)(password=)[^&;]*");

  private final JdbcConnectionPool pool;
  private final JdbcStores stores;
  private final CountingAssignments assignments;
  private final PackageBilling billing;
  private final String where;

  private Storage(JdbcConnectionPool pool, JdbcStores stores, BillingClock clock, String where) {
    this.pool = pool;
    this.stores = stores;
    this.where = where;
    this.assignments = new CountingAssignments(stores.assignments());
    // JdbcStores' own bundle, but for an assignment store that counts what runs read: their progress.
    BillingStores bundle = BillingStores.builder().catalog(stores.catalog()).assignments(assignments)
        .journal(stores.journal()).creditLedger(stores.creditLedger()).spend(stores.spend())
        .freeMinutes(stores.freeMinutes()).unitOfWork(stores.unitOfWork()).events(stores.events())
        .runLeases(stores.runLeases().orElseThrow()).build();
    this.billing = PackageBilling.builder().clock(clock).stores(bundle).build();
  }

  /** Opens the database the root command's options name; refuses with exit code 3 when it cannot. */
  static Storage open(RootCommand root) {
    BillingClock clock = root.env.clocks().apply(root.zone());
    Optional<String> url = Optional.ofNullable(root.jdbcUrl).or(() -> root.env.variable("ALLOTMENT_JDBC_URL"));
    if (url.isPresent()) {
      String user = Optional.ofNullable(root.user).or(() -> root.env.variable("ALLOTMENT_JDBC_USER")).orElse(null);
      String password = root.password != null ? new String(root.password)
          : root.env.variable("ALLOTMENT_JDBC_PASSWORD").orElse(null);
      return open(server(url.get().strip(), user, password), redact(url.get().strip()), clock);
    }
    Path directory = dataDirectory(root);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw CliException.database("cannot create the data directory " + directory + ": " + e.getMessage(), e);
    }
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:file:" + directory.resolve("allotment").toAbsolutePath());
    return open(h2, "H2 database in " + directory, clock);
  }

  /** --data, else $ALLOTMENT_DATA, else ./allotment-data, against the working directory. */
  static Path dataDirectory(RootCommand root) {
    Path directory = root.data != null ? root.data
        : root.env.variable("ALLOTMENT_DATA").map(Path::of).orElse(Path.of(RootCommand.DEFAULT_DATA));
    return root.env.workingDirectory().resolve(directory).normalize();
  }

  private static ConnectionPoolDataSource server(String url, String user, String password) {
    if (url.startsWith("jdbc:h2:")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(url);
      if (user != null) {
        h2.setUser(user);
      }
      if (password != null) {
        h2.setPassword(password);
      }
      return h2;
    }
    if (!url.startsWith("jdbc:postgresql:")) {
      throw CliException.input("--jdbc-url: '" + redact(url) + "' is neither a PostgreSQL URL (jdbc:postgresql://HOST:PORT/DB)"
          + " nor an H2 one (jdbc:h2:...)");
    }
    PGConnectionPoolDataSource pg = new PGConnectionPoolDataSource();
    try {
      pg.setURL(url);
    } catch (IllegalArgumentException e) {
      throw CliException.input("--jdbc-url: '" + redact(url) + "' is not a valid PostgreSQL URL: " + e.getMessage());
    }
    if (user != null) {
      pg.setUser(user);
    }
    if (password != null) {
      pg.setPassword(password);
    }
    pg.setConnectTimeout(10);
    pg.setApplicationName("allotment-cli");
    return pg;
  }

  private static Storage open(ConnectionPoolDataSource dataSource, String where, BillingClock clock) {
    JdbcConnectionPool pool = JdbcConnectionPool.create(dataSource);
    pool.setMaxConnections(8);
    try {
      try (Connection connection = pool.getConnection()) {
        connection.getMetaData();
      } catch (SQLException e) {
        throw CliException.database("cannot reach the database (" + where + "): " + Failures.firstLine(e.getMessage()),
            e);
      }
      return new Storage(pool, JdbcStores.create(pool), clock, where);
    } catch (JdbcStoreException | IllegalArgumentException e) {
      pool.dispose();
      throw CliException.database("cannot open the database (" + where + "): " + Failures.firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      pool.dispose();
      throw e;
    }
  }

  /** A URL fit to print: any password in it replaced. */
  static String redact(String url) {
    return SECRET.matcher(url).replaceAll("$1***");
  }

  PackageBilling billing() {
    return billing;
  }

  JdbcStores stores() {
    return stores;
  }

  /** Calls {@code listener} with the number of assignments each page a run reads holds, until closed. */
  CountingAssignments.Listening countAssignmentsRead(LongConsumer listener) {
    return assignments.listen(listener);
  }

  /** Where the data is, for messages: the H2 directory or the URL without its password. */
  String where() {
    return where;
  }

  /** Whether {@code customerId} has any assignment: what makes a customer known here. */
  boolean knowsCustomer(String customerId) {
    return !stores.assignments().page(Optional.of(customerId), Optional.empty(), 1).isEmpty();
  }

  /** Refuses an unknown customer (one without any assignment) with a message naming it. */
  void requireCustomer(String customerId) {
    if (!knowsCustomer(customerId)) {
      throw CliException.input("unknown customer '" + customerId + "': no assignment names it (" + where + ")");
    }
  }

  /** Every assignment of the customer, in id order. */
  List<Assignment> assignmentsOf(String customerId) {
    List<Assignment> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<Assignment> page = stores.assignments().page(Optional.of(customerId), after, 1000);
      all.addAll(page);
      if (page.size() < 1000) {
        return all;
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
  }

  /** How many assignments a run of this scope reads: a progress bar's total. */
  long countAssignments(Optional<String> customerId) {
    long count = 0;
    Optional<String> after = Optional.empty();
    while (true) {
      List<Assignment> page = stores.assignments().page(customerId, after, 1000);
      count += page.size();
      if (page.size() < 1000) {
        return count;
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
