package dev.allotment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The CPU time of a PostgreSQL server running on this machine, from {@code /proc} (Linux): its
 * postmaster's own time and that of the children it reaped, plus every live child's (backends,
 * checkpointer, WAL writer, autovacuum). The server is found through a backend's process id;
 * when that is not a local {@code postgres} process, the server is elsewhere and the time unknown.
 */
record ServerCpu(long postmaster) {
  /** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
  private static final long TICKS = 100;

  static ServerCpu of(DataSource dataSource) {
    // The backend's process is read while its connection is open.
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      Path backend = Path.of("/proc", Long.toString(rs.getLong(1)));
      if (!"postgres".equals(comm(backend))) {
        return new ServerCpu(-1);
      }
      long parent = Long.parseLong(stat(backend)[1]);
      return new ServerCpu("postgres".equals(comm(Path.of("/proc", Long.toString(parent)))) ? parent : -1);
    } catch (SQLException | RuntimeException | IOException e) {
      return new ServerCpu(-1);
    }
  }

  long nanos() {
    if (postmaster < 0) {
      return -1;
    }
    long ticks = 0;
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String[] fields = stat(process);
          long pid = Long.parseLong(name);
          if (pid == postmaster) {
            // utime, stime, cutime, cstime: its own time and that of the children it reaped
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
          } else if (Long.parseLong(fields[1]) == postmaster) {
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile: its time is in the postmaster's reaped children's
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * (TimeUnit.SECONDS.toNanos(1) / TICKS);
  }

  private static String comm(Path process) throws IOException {
    return Files.readString(process.resolve("comm")).strip();
  }

  /** The fields of /proc/<pid>/stat after the command: [0] state, [1] ppid, ... [11] utime, [12] stime. */
  private static String[] stat(Path process) throws IOException {
    String stat = Files.readString(process.resolve("stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
