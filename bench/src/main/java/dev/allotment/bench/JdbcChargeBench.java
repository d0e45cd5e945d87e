package dev.allotment.bench;

import dev.allotment.engine.PackageBilling;
import dev.allotment.engine.RunRequest;
import dev.allotment.jdbc.JdbcStores;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * The JDBC CHARGE benchmark: CHARGE runs of {@code n} monthly assignments on PostgreSQL with
 * {@link PackageBilling} over {@link JdbcStores}, side by side in one process with a raw batched
 * INSERT of the same journal rows. See {@code bench/README.md} for how to run it and the figures.
 *
 * <p>Three scenarios, each measured on an empty journal (first run) and with one month held
 * (steady run):
 * <ul>
 *   <li><b>raw</b>: the journal rows of the plain run, inserted with plain JDBC batches into a copy
 *       of the journal table (the floor any writer of those rows pays);
 *   <li><b>plain</b>: a CHARGE of a monthly package without auto-decrement: one RECURRING line per
 *       assignment;
 *   <li><b>bundle</b>: the same package shape, but of type FREE_MINUTES (100 minutes per
 *       assignment), and every assignment with auto-decrement: per assignment a RECURRING line, a
 *       FREE_MINUTES line, a grant, and a credit entry with its balance move.
 * </ul>
 * The unit of comparison is the assignment charged for a month (assignments/s): the bundle does
 * more per assignment, which is the cost measured. Lines/s are printed too.
 *
 * <p>A one-shot harness rather than a JMH benchmark: the quantity measured is a single run of
 * 100,000 assignments (seconds long, so timer resolution and per-call overhead do not matter), its
 * set-up (fresh schemas and 100,000 assignments each) costs more than the run itself and would have
 * to be redone before every JMH invocation, and the memory target is about the whole run completing
 * in a JVM started with {@code -Xmx256m}, which is a property of one process, not of an iteration.
 * JIT warm-up is done by an unreported round on schemas of its own first ({@code bench.warmup}, as
 * many assignments as the measured round by default: after a tenth of them the JIT still compiled
 * during the first measured engine run, which then took twice the JVM CPU of later rounds).
 *
 * <p>Each round creates two fresh schemas, "plain" and "bundle", each with {@code n} assignments of
 * one package, monthly on the 1st, starting 2026-02-01 (set-up, not measured), and measures, in
 * this order, each phase on a settled server ({@code VACUUM ANALYZE} and {@code CHECKPOINT} before
 * it, so one phase's maintenance does not land in the next one's time):
 * <ol>
 *   <li>raw INSERT of the first month's plain rows into an empty copy of the journal table
 *       ({@code LIKE ... INCLUDING ALL} plus the same foreign key) with
 *       {@code PreparedStatement.addBatch}, {@code reWriteBatchedInserts=true}, one transaction
 *       per {@code batchSize} rows;
 *   <li>plain CHARGE for 2026-02-01, then bundle CHARGE for 2026-02-01 (empty journals);
 *   <li>raw INSERT of the second month's rows into the copy table, which now holds the first month;
 *   <li>plain CHARGE for 2026-03-01, then bundle CHARGE for 2026-03-01, planned from the history
 *       the first runs left (the monthly run of a system in service);
 *   <li>checks: a second CHARGE for 2026-03-01 charges nothing in either schema; the plain journal
 *       holds exactly the raw rows, column for column, and no grant, entry or balance; the bundle
 *       schema holds two lines, two grants (of 100 minutes each) and two debits of 30.00 per
 *       assignment, and every balance is minus the sum of its customer's entries, which is minus
 *       60.00 per assignment of the customer.
 * </ol>
 * Runs use the streaming {@link PackageBilling#run(RunRequest, java.util.function.Consumer)}, whose
 * sink only counts, so memory stays at two pages (one committed, one read ahead) per run.
 *
 * <p>Besides wall time, each phase reports the CPU time the JVM and the PostgreSQL server spent in
 * it, per assignment: the JVM's from its {@code OperatingSystemMXBean}, the server's from
 * {@code /proc} when it runs on this machine (its postmaster and every child process). On a shared
 * machine CPU time varies much less than wall time, so it is the figure to compare variants by.
 *
 * <p>Settings (system properties): {@code allotment.pg.url} (or {@code ALLOTMENT_PG_URL}), a JDBC URL
 * with credentials, required; {@code bench.assignments} (100000); {@code bench.batchSize} (500);
 * {@code bench.pageSize} (1000); {@code bench.warmup} (as many as {@code bench.assignments}, 0 for none);
 * {@code bench.rounds} (1: measured rounds, each on fresh schemas; with more, the medians are
 * printed too); {@code bench.scenarios} ({@code plain,bundle}: the raw insert goes with plain);
 * {@code bench.events} ({@code on}, the library's default: the engine writes the events of its
 * effects into the outbox; {@code off}: {@code events(false)}; {@code compare}: every round is run
 * twice, with events on and off, alternating which goes first, and the ratio on/off of each CHARGE
 * phase is printed, the target being at least 0.80). The
 * DataSource of each schema is a small connection pool (H2's {@link JdbcConnectionPool}, already on
 * the class path through {@code allotment-jdbc}, over pgjdbc's {@link PGConnectionPoolDataSource}),
 * as a host would configure one; the URL needs no options for the engine.
 *
 * <p>Not thread-safe; a program, run once.
 */
public final class JdbcChargeBench {
  private final String url;
  private final int batchSize;
  private final int pageSize;
  private final boolean plain;
  private final boolean bundle;
  private boolean checkpointRefused;

  private JdbcChargeBench(String url, int batchSize, int pageSize, boolean plain, boolean bundle) {
    this.url = url;
    this.batchSize = batchSize;
    this.pageSize = pageSize;
    this.plain = plain;
    this.bundle = bundle;
  }

  /** The values of {@code bench.events}. */
  private enum EventsMode {
    ON, OFF, COMPARE;

    static EventsMode of(String value) {
      try {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bench.events must be on, off or compare, was '" + value + "'", e);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String url = setting("allotment.pg.url");
    if (url == null) {
      System.err.println("JdbcChargeBench: no PostgreSQL; set -Dallotment.pg.url=jdbc:postgresql://... (or"
          + " ALLOTMENT_PG_URL), or run bench/run-jdbc-bench, which starts one");
      System.exit(2);
    }
    int assignments = Integer.getInteger("bench.assignments", 100_000);
    // A full-size warm-up: after a smaller one the JIT still compiles during the first measured phases
    // (twice the JVM CPU of the later rounds in the first engine run, about 20 % of its wall time).
    int warmup = Integer.getInteger("bench.warmup", assignments);
    int rounds = Integer.getInteger("bench.rounds", 1);
    List<String> scenarios = Arrays.asList(System.getProperty("bench.scenarios", "plain,bundle").split(","));
    EventsMode events = EventsMode.of(System.getProperty("bench.events", "on"));
    JdbcChargeBench bench = new JdbcChargeBench(url, Integer.getInteger("bench.batchSize", 500),
        Integer.getInteger("bench.pageSize", 1000), scenarios.contains("plain"), scenarios.contains("bundle"));
    System.out.printf(Locale.ROOT, "JdbcChargeBench: JDK %s, max heap %d MiB, %d CPUs, batch %d, page %d,"
        + " scenarios %s, events %s%n", System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(), bench.batchSize, bench.pageSize, String.join(",", scenarios),
        events.name().toLowerCase(Locale.ROOT));
    if (warmup > 0) {
      bench.round(warmup, false, events != EventsMode.OFF);
    }
    List<Map<ChargePhase, PhaseMeasure>> results = new ArrayList<>();
    List<Map<ChargePhase, PhaseMeasure>> withoutEvents = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      if (rounds > 1) {
        System.out.printf(Locale.ROOT, "round %d of %d%n", r, rounds);
      }
      if (events != EventsMode.COMPARE) {
        Map<ChargePhase, PhaseMeasure> result = bench.round(assignments, true, events == EventsMode.ON);
        results.add(result);
        ChargeBenchReport.printResult("RESULT", assignments, result);
        continue;
      }
      // Alternating which goes first spreads the server's drift over a round (autovacuum, caches) evenly.
      for (boolean on : r % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true}) {
        Map<ChargePhase, PhaseMeasure> result = bench.round(assignments, true, on);
        (on ? results : withoutEvents).add(result);
        ChargeBenchReport.printResult(on ? "RESULT events=on" : "RESULT events=off", assignments, result);
      }
      printEventRatios("EVENTS", results.get(results.size() - 1), withoutEvents.get(withoutEvents.size() - 1));
    }
    if (rounds > 1) {
      ChargeBenchReport.printMedians(assignments, results);
      if (events == EventsMode.COMPARE) {
        System.out.println("(the medians above are with events; without them:)");
        ChargeBenchReport.printMedians(assignments, withoutEvents);
        printEventRatioMedians(results, withoutEvents);
      }
    }
  }

  private BenchSchema schema(boolean isBundle, boolean events, int assignments, boolean report) throws SQLException {
    return new BenchSchema(url, batchSize, pageSize, isBundle, events, assignments, report);
  }

  private Map<ChargePhase, PhaseMeasure> round(int assignments, boolean report, boolean events) throws SQLException {
    Map<ChargePhase, PhaseMeasure> measured = new EnumMap<>(ChargePhase.class);
    try (BenchSchema plainSchema = plain ? schema(false, events, assignments, report) : null;
        BenchSchema bundleSchema = bundle ? schema(true, events, assignments, report) : null) {
      List<BenchSchema> schemas = new ArrayList<>();
      if (plainSchema != null) {
        plainSchema.createRawTable();
        schemas.add(plainSchema);
      }
      if (bundleSchema != null) {
        schemas.add(bundleSchema);
      }
      for (ChargePhase phase : ChargePhase.values()) {
        BenchSchema schema = phase.bundle ? bundleSchema : plainSchema;
        if (schema == null) {
          continue;
        }
        settle(schemas);
        PhaseMeasure measure;
        // The raw insert's connection is opened before and closed after the CPU readings, so the time of
        // its server process is counted whole (an ended backend's time moves to the postmaster's).
        try (Connection raw = phase.name().startsWith("RAW") ? schema.rawDataSource().getConnection() : null) {
          ServerCpu server = ServerCpu.of(schema.admin);
          long jvmCpu = jvmCpuNanos();
          long serverCpu = server.nanos();
          PhaseMeasure timed = switch (phase) {
            case RAW_FIRST -> schema.rawInsert(raw, BenchSchema.FIRST_RUN);
            case RAW_STEADY -> schema.rawInsert(raw, BenchSchema.STEADY_RUN);
            case PLAIN_FIRST, BUNDLE_FIRST -> schema.charge(BenchSchema.FIRST_RUN);
            case PLAIN_STEADY, BUNDLE_STEADY -> schema.charge(BenchSchema.STEADY_RUN);
          };
          long jvmCpuAfter = jvmCpuNanos();
          long serverCpuAfter = server.nanos();
          measure = new PhaseMeasure(timed.assignments(), timed.lines(), timed.nanos(),
              jvmCpu < 0 || jvmCpuAfter < 0 ? -1 : jvmCpuAfter - jvmCpu,
              serverCpu < 0 || serverCpuAfter < 0 ? -1 : serverCpuAfter - serverCpu);
        }
        measured.put(phase, measure);
        if (report) {
          boolean raw = phase.name().startsWith("RAW");
          System.out.printf(Locale.ROOT, "%-28s %,9d assignments %,9d %s in %6.2f s = %,9.0f assignments/s"
              + " %,9.0f %s/s; CPU %s%n", phase.label, measure.assignments(), measure.lines(), raw ? "rows " : "lines",
              ChargeBenchReport.seconds(measure.nanos()), measure.assignmentsPerSecond(), measure.linesPerSecond(), raw ? "rows" : "lines",
              ChargeBenchReport.cpuText(measure));
        }
      }
      for (BenchSchema schema : schemas) {
        schema.againChargesNothing();
        schema.verify();
      }
      if (report) {
        System.out.printf(Locale.ROOT, "checks: a second CHARGE charged nothing;%s%s %s%n",
            plain ? " the plain journal holds exactly the raw rows;" : "",
            bundle ? " bundle: 2 lines, 2 grants and 2 credit entries per assignment, balances consistent;" : "",
            events ? "events: one per line, grant and credit entry" : "events: none (off)");
      }
    }
    return measured;
  }

  /** The CHARGE phases' assignments/s with events over the same without, per phase; target at least 0.80. */
  private static Map<String, Double> eventRatios(Map<ChargePhase, PhaseMeasure> on,
      Map<ChargePhase, PhaseMeasure> off) {
    Map<String, Double> ratios = new LinkedHashMap<>();
    for (ChargePhase phase : ChargePhase.values()) {
      if (!phase.name().startsWith("RAW") && on.containsKey(phase) && off.containsKey(phase)) {
        ratios.put(phase.name().toLowerCase(Locale.ROOT), on.get(phase).assignmentsPerSecond()
            / off.get(phase).assignmentsPerSecond());
      }
    }
    return ratios;
  }

  private static void printEventRatios(String tag, Map<ChargePhase, PhaseMeasure> on,
      Map<ChargePhase, PhaseMeasure> off) {
    StringBuilder line = new StringBuilder(tag).append(" events on/off in assignments/s:");
    eventRatios(on, off).forEach((name, ratio) -> line.append(String.format(Locale.ROOT,
        " %s=%.2f (target >= 0.80: %s)", name, ratio, ChargeBenchReport.met(ratio, 0.8))));
    System.out.println(line);
  }

  private static void printEventRatioMedians(List<Map<ChargePhase, PhaseMeasure>> on,
      List<Map<ChargePhase, PhaseMeasure>> off) {
    System.out.printf(Locale.ROOT, "MEDIANS of events on/off over %d rounds (min .. max):%n", on.size());
    for (String name : eventRatios(on.get(0), off.get(0)).keySet()) {
      double[] values = new double[on.size()];
      for (int i = 0; i < on.size(); i++) {
        values[i] = eventRatios(on.get(i), off.get(i)).get(name);
      }
      System.out.printf(Locale.ROOT, "  %-28s %.2f (%.2f .. %.2f)%n", "events_on_off_" + name,
          ChargeBenchReport.median(values), ChargeBenchReport.min(values), ChargeBenchReport.max(values));
    }
  }

  private static long jvmCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * Before each measured phase: vacuum and analyze every table of the round's schemas, and
   * checkpoint, so the maintenance one phase causes (autovacuum after 100,000 inserts, dirty
   * buffers of a 32 MB pool) does not land in the next one's time.
   */
  private void settle(List<BenchSchema> schemas) throws SQLException {
    List<String> tables = new ArrayList<>();
    for (BenchSchema schema : schemas) {
      tables.addAll(schema.tables());
    }
    try (Connection connection = schemas.get(0).admin.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("VACUUM ANALYZE " + String.join(", ", tables));
      try {
        statement.execute("CHECKPOINT");
      } catch (SQLException e) {
        // Needs superuser (or pg_checkpoint); a shared server given by URL may refuse, which only adds noise.
        if (!checkpointRefused) {
          System.out.println("note: CHECKPOINT refused (" + e.getMessage() + "); phases are not separated by one");
          checkpointRefused = true;
        }
      }
    }
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
