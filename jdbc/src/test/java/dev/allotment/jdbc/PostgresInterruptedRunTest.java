package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.allotment.core.LineStatus;
import dev.allotment.engine.RunMode;
import dev.allotment.engine.RunReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link InterruptedRunChecks} on PostgreSQL, plus the real thing: a child JVM running CHARGE is
 * killed ({@link Process#destroyForcibly()}, SIGKILL) once the journal holds a fifth of the run.
 */
final class PostgresInterruptedRunTest extends InterruptedRunChecks {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.postgres();

  /** Marks the end of the child's output in the queue. */
  private static final String END = "\u0000end of output";
  private static final long PATIENCE_SECONDS = 120;

  @Override
  TestDatabase db() {
    return DB;
  }

  @Test
  void aChildJvmKilledMidRunLeavesWholeBatchesAndItsRerunEqualsOneCleanRun() throws Exception {
    prepareWork();
    Set<String> before = new HashSet<>(StoreState.journalKeys(workPool));
    Map<String, LocalDate> watermarksBefore = StoreState.watermarks(workPool);
    long killAt = reference.charged() / 5;

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        ChildChargeRun.class.getName(), work.url(), EngineFixtures.RUN.toString(), Integer.toString(BATCH),
        Integer.toString(PAGE))
        .redirectErrorStream(true).start();
    List<String> transcript = new ArrayList<>();
    long added;
    try {
      BlockingQueue<String> output = follow(child);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
      while (true) {
        String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (line == null) {
          fail("the child's journal did not reach " + killAt + " new lines within " + PATIENCE_SECONDS + " s: "
              + transcript);
        }
        if (line.equals(END)) {
          fail("the child ended before it was killed: " + transcript);
        }
        transcript.add(line);
        if (line.startsWith(ChildChargeRun.PROGRESS)) {
          // The child says it committed; the database says how far the journal really is.
          added = countLines() - before.size();
          if (added >= killAt) {
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
    }
    assertTrue(child.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the killed child exits");
    assertFalse(transcript.contains(ChildChargeRun.DONE), "killed mid-run");
    endChildSessions();

    int batches = assertWholeBatches(before, watermarksBefore, "child JVM killed");
    assertTrue(batches > 0 && batches < commits, "killed inside the run: " + batches + " of " + commits
        + " batches were committed");
    assertTrue(StoreState.assertEveryJournaledLineHasItsPosting(workPool, "child JVM killed") > 0);
    StoreState.assertNoEffectWithoutItsLine(workPool, "child JVM killed");

    RunReport rerun = EngineFixtures.engine(JdbcStores.builder(workPool).migrateOnStart(false).build(), BATCH, PAGE)
        .run(EngineFixtures.RUN, RunMode.CHARGE);
    StoreState.assertSame(reference.state(), StoreState.read(workPool), "child JVM killed, then a rerun");
    long committedByTheChild = reference.batches().subList(0, batches).stream().mapToLong(b -> b.keys().size()).sum();
    assertEquals(reference.charged() - committedByTheChild, rerun.summary().count(LineStatus.CHARGED));
  }

  /** The child's output lines, then {@link #END}, read by a daemon thread. */
  private static BlockingQueue<String> follow(Process child) {
    BlockingQueue<String> output = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = child.inputReader()) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
        }
      } catch (IOException e) {
        output.add("(reading the child's output failed: " + e + ")");
      }
      output.add(END);
    }, "child-charge-run-output");
    reader.setDaemon(true);
    reader.start();
    return output;
  }

  private long countLines() throws SQLException {
    try (Connection connection = workPool.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + JdbcChargeJournal.LINES)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The server ends a dead client's session when it next reads from it, which may be after it
   * finished the statement (a COMMIT, say) in flight. Terminating those sessions and waiting for
   * them to exit ({@code pg_terminate_backend} with a timeout waits) makes the state checked below
   * final.
   */
  private void endChildSessions() throws SQLException {
    try (Connection connection = workPool.getConnection(); PreparedStatement statement = connection.prepareStatement(
        "SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, ChildChargeRun.APPLICATION_NAME);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          // false: the session had already ended; true: it has now.
          rs.getBoolean(1);
        }
      }
    }
  }
}
