package dev.allotment.jdbc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * A {@link PooledChildChargeRun} in a child JVM, watched through its output and killed with
 * {@link Process#destroyForcibly()} (SIGKILL): no shutdown hook, no rollback by the client, the
 * database sees the connections drop wherever the run was.
 *
 * <p>Not thread-safe; one per child.
 */
final class ChildCharge implements AutoCloseable {
  /** Marks the end of the child's output in the queue. */
  private static final String END = "\u0000end of output";
  static final long PATIENCE_SECONDS = 120;

  private final Process process;
  /** The application name of the child's connections, by which its sessions are ended after a kill. */
  private final String applicationName;
  private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
  private final List<String> transcript = new ArrayList<>();
  private int commits;
  private long linesReported;
  /** Whether the last thing the child said was that it began a commit (and not yet that it ended one). */
  private boolean inCommit;
  private boolean done;
  private boolean ended;

  private ChildCharge(Process process, String applicationName) {
    this.process = process;
    this.applicationName = applicationName;
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = process.inputReader()) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          output.add(line);
        }
      } catch (IOException e) {
        output.add("(reading the child's output failed: " + e + ")");
      }
      output.add(END);
    }, "child-charge-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a child charging {@code date} on the schema of {@code url}. */
  static ChildCharge start(String url, LocalDate date, int batchSize, int pageSize) throws IOException {
    // C1 only: a child lives a second or two, much of it starting up.
    return new ChildCharge(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        PooledChildChargeRun.class.getName(), url, date.toString(), Integer.toString(batchSize),
        Integer.toString(pageSize)).redirectErrorStream(true).start(), PooledChildChargeRun.APPLICATION_NAME);
  }

  /**
   * Starts a child that runs its engine's share of a fleet run ({@link ChildFleetRun}) on the schema
   * of {@code url}, its clock {@code clockOffset} past the others' (a host calling again later).
   */
  static ChildCharge startFleet(String url, LocalDate date, int batchSize, int pageSize, String owner,
      java.time.Duration clockOffset, java.time.Duration lease, int partitions) throws IOException {
    return new ChildCharge(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        ChildFleetRun.class.getName(), url, date.toString(), Integer.toString(batchSize),
        Integer.toString(pageSize), owner, Long.toString(clockOffset.toMillis()), Long.toString(lease.toMillis()),
        Integer.toString(partitions)).redirectErrorStream(true).start(), ChildFleetRun.APPLICATION_NAME + owner);
  }

  /** The rest of the last line the child printed starting with {@code prefix}, if any. */
  java.util.Optional<String> said(String prefix) {
    for (int i = transcript.size() - 1; i >= 0; i--) {
      if (transcript.get(i).startsWith(prefix)) {
        return java.util.Optional.of(transcript.get(i).substring(prefix.length()));
      }
    }
    return java.util.Optional.empty();
  }

  /**
   * Waits until the child reports {@code more} further committed batches.
   *
   * @return true when it did; false when it finished the run first
   * @throws AssertionError when it does neither within {@value #PATIENCE_SECONDS} s, or dies
   */
  boolean awaitCommits(int more) throws InterruptedException {
    int target = commits + more;
    long deadline = deadline();
    while (commits < target) {
      if (!next(deadline)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until the child says it hands its next batch to the unit of work: a kill right after lands
   * inside that batch's transaction, unless the commit is quicker than the signal.
   *
   * @return true when it did; false when it finished the run first
   */
  boolean awaitCommitStart() throws InterruptedException {
    long deadline = deadline();
    while (!inCommit) {
      if (!next(deadline)) {
        return false;
      }
    }
    return true;
  }

  /** Waits for the child to finish its run on its own and exit. */
  void awaitDone() throws InterruptedException {
    long deadline = deadline();
    while (next(deadline)) {
      // until the output ends after the run's end
    }
    assertTrue(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the child exits after its run");
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
  }

  /**
   * Takes the next line of output.
   *
   * @return false once the output ended after the child said its run was done
   * @throws AssertionError when the output ends before that, or nothing comes before the deadline
   */
  private boolean next(long deadline) throws InterruptedException {
    if (ended) {
      if (done) {
        return false;
      }
      throw new AssertionError("the child ended without finishing its run: " + transcript());
    }
    String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    if (line == null) {
      throw new AssertionError("no progress of the child within " + PATIENCE_SECONDS + " s: " + transcript());
    }
    if (line.equals(END)) {
      ended = true;
      if (done) {
        return false;
      }
      throw new AssertionError("the child ended without finishing its run: " + transcript());
    }
    handle(line);
    return true;
  }

  private void handle(String line) {
    transcript.add(line);
    if (line.equals(PooledChildChargeRun.COMMITTING)) {
      inCommit = true;
    } else if (line.startsWith(ChildChargeRun.PROGRESS)) {
      inCommit = false;
      commits++;
      linesReported += Long.parseLong(line.substring(ChildChargeRun.PROGRESS.length()).trim());
    } else if (line.equals(ChildChargeRun.DONE)) {
      done = true;
    }
  }

  /** New lines the child reported committed so far. */
  long linesReported() {
    return linesReported;
  }

  String transcript() {
    List<String> last = transcript.subList(Math.max(0, transcript.size() - 20), transcript.size());
    return (transcript.size() > last.size() ? "... " : "") + last;
  }

  /**
   * SIGKILL; then reads what the child printed before it died, waits for the process to be gone and
   * for the server to end the sessions it left ({@code pg_terminate_backend} with a timeout waits
   * for each): the server ends a dead client's session only when it next reads from it, possibly
   * after finishing a COMMIT in flight, so only then is the state final.
   *
   * @return whether the child died between handing a batch to the unit of work and hearing back:
   *     inside a batch's transaction (or its COMMIT)
   */
  boolean kill(DataSource admin) throws InterruptedException, SQLException {
    process.destroyForcibly();
    assertTrue(process.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS), "the killed child exits");
    // What it printed before it died; the output ends with the process.
    long deadline = deadline();
    while (!ended) {
      String line = output.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("the killed child's output did not end: " + transcript());
      }
      if (line.equals(END)) {
        ended = true;
      } else {
        handle(line);
      }
    }
    endSessions(admin, applicationName);
    return inCommit;
  }

  static void endSessions(DataSource admin, String applicationName) throws SQLException {
    try (Connection connection = admin.getConnection(); PreparedStatement statement = connection.prepareStatement(
        "SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, applicationName);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rs.getBoolean(1);
        }
      }
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
