package dev.allotment.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an embedded database holds, to compare before and after a command: the row count of every
 * table, and a SHA-256 of every table's rows in a fixed order (the journal among them). Read over a
 * connection of its own, closed before the CLI opens the database again.
 *
 * @param rows rows per table
 * @param checksums SHA-256 of each table's rows
 */
record DatabaseSnapshot(Map<String, Long> rows, Map<String, String> checksums) {
  static final String JOURNAL = "ALLOTMENT_CHARGE_LINE";

  static DatabaseSnapshot of(Path dataDirectory) {
    String url = "jdbc:h2:file:" + dataDirectory.resolve("allotment").toAbsolutePath() + ";IFEXISTS=TRUE";
    Map<String, Long> rows = new TreeMap<>();
    Map<String, String> checksums = new TreeMap<>();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet names = statement.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
          + " WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME")) {
        while (names.next()) {
          tables.add(names.getString(1));
        }
      }
      for (String table : tables) {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
          int columns = rs.getMetaData().getColumnCount();
          List<String> lines = new ArrayList<>();
          while (rs.next()) {
            StringBuilder line = new StringBuilder();
            for (int c = 1; c <= columns; c++) {
              line.append(rs.getString(c)).append('\u001f');
            }
            lines.add(line.toString());
            count++;
          }
          lines.sort(null);
          for (String line : lines) {
            digest.update(line.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
          }
        }
        rows.put(table, count);
        checksums.put(table, HexFormat.of().formatHex(digest.digest()));
      }
    } catch (SQLException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot read the database in " + dataDirectory, e);
    }
    return new DatabaseSnapshot(rows, checksums);
  }

  long rows(String table) {
    return rows.getOrDefault(table, 0L);
  }
}
