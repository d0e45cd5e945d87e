package dev.allotment.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A text table for people: a header, a rule, aligned columns (numbers to the right), no trailing
 * blanks. Collects its rows, then prints them with each column as wide as its widest cell. Not
 * thread-safe.
 */
final class Table {
  private final String[] headers;
  private final boolean[] right;
  private final List<String[]> rows = new ArrayList<>();

  /** Columns named by {@code headers}; a header starting with {@code >} is right-aligned (the mark is dropped). */
  Table(String... headers) {
    this.headers = new String[headers.length];
    this.right = new boolean[headers.length];
    for (int c = 0; c < headers.length; c++) {
      right[c] = headers[c].startsWith(">");
      this.headers[c] = right[c] ? headers[c].substring(1) : headers[c];
    }
  }

  Table add(Object... cells) {
    if (cells.length != headers.length) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.length);
    }
    String[] row = new String[cells.length];
    for (int c = 0; c < cells.length; c++) {
      row[c] = String.valueOf(cells[c]);
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      widths[c] = headers[c].length();
    }
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    line(out, headers, widths);
    String[] rule = new String[headers.length];
    for (int c = 0; c < headers.length; c++) {
      rule[c] = "-".repeat(widths[c]);
    }
    line(out, rule, widths);
    for (String[] row : rows) {
      line(out, row, widths);
    }
  }

  private void line(PrintStream out, String[] cells, int[] widths) {
    StringBuilder text = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      String pad = " ".repeat(widths[c] - cells[c].length());
      text.append(c == 0 ? "" : "  ").append(right[c] ? pad + cells[c] : cells[c] + pad);
    }
    out.println(text.toString().stripTrailing());
  }
}
