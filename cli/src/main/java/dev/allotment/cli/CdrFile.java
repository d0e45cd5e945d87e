package dev.allotment.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.allotment.core.UsageRecord;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV file of calls (CDRs), read and checked whole before any call is consumed, so a bad row
 * refuses the file and consumes nothing. The header names the columns, in any order:
 * {@code id,customer,did,number,start,duration} ({@code did} may be left out or empty; other
 * columns are ignored). {@code start} is an instant with its offset ({@code 2026-06-03T09:15:00Z})
 * or a local date-time, read in the billing zone; {@code duration} is whole seconds.
 *
 * <p>Every refusal is one line naming the file and the line: {@code calls.csv line 17: duration
 * 'abc' is not a whole number of seconds}.
 */
final class CdrFile {
  static final List<String> REQUIRED = List.of("id", "customer", "number", "start", "duration");
  static final List<String> COLUMNS = List.of("id", "customer", "did", "number", "start", "duration");

  private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
      .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

  /** A call and the line it came from. */
  record Call(int line, UsageRecord usage) {}

  private CdrFile() {}

  /**
   * Every call of the file, in file order.
   *
   * @param file the file, resolved
   * @param shown the file as the user named it, for messages
   * @param zone the billing zone, for local start times
   */
  static List<Call> read(Path file, Path shown, ZoneId zone) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
      if (!rows.hasNextValue()) {
        throw CliException.input(shown + ": empty; the header must name " + String.join(",", COLUMNS));
      }
      String[] names = rows.nextValue();
      Map<String, Integer> columns = header(shown, names);
      List<Call> calls = new ArrayList<>();
      Map<String, Call> byId = new HashMap<>();
      while (rows.hasNextValue()) {
        String[] row = rows.nextValue();
        int line = rows.getParser().currentTokenLocation().getLineNr();
        if (row.length != names.length) {
          throw CliException.input(shown + " line " + line + ": " + row.length + " value" + (row.length == 1 ? "" : "s")
              + " where the header names " + names.length + " columns (" + String.join(",", names) + ")");
        }
        Call call = new Call(line, usage(shown + " line " + line + ": ", columns, row, zone));
        Call earlier = byId.putIfAbsent(call.usage().usageId(), call);
        if (earlier != null && !earlier.usage().equals(call.usage())) {
          throw CliException.input(shown + " line " + line + ": call id '" + call.usage().usageId()
              + "' is used on line " + earlier.line() + " for another call");
        }
        calls.add(call);
      }
      return calls;
    } catch (NoSuchFileException e) {
      throw CliException.input(shown + ": no such file");
    } catch (IOException | RuntimeException e) {
      if (e instanceof CliException cli) {
        throw cli;
      }
      // Jackson's CSV errors (an unclosed quote, a malformed character) carry their own location.
      throw CliException.input(shown + ": not a readable CSV file: " + Failures.firstLine(e.getMessage()));
    }
  }

  private static Map<String, Integer> header(Path shown, String[] names) {
    Map<String, Integer> columns = new HashMap<>();
    for (int c = 0; c < names.length; c++) {
      columns.putIfAbsent(names[c].strip().toLowerCase(Locale.ROOT), c);
    }
    for (String required : REQUIRED) {
      if (!columns.containsKey(required)) {
        throw CliException.input(shown + " line 1: the header lacks the column '" + required + "' (it must name "
            + String.join(",", COLUMNS) + "; did may be left out)");
      }
    }
    return columns;
  }

  private static UsageRecord usage(String at, Map<String, Integer> columns, String[] row, ZoneId zone) {
    String durationText = cell(columns, row, "duration");
    long duration;
    try {
      duration = Long.parseLong(durationText);
    } catch (NumberFormatException e) {
      throw CliException.input(at + "duration '" + durationText + "' is not a whole number of seconds");
    }
    Instant start = start(at, cell(columns, row, "start"), zone);
    Optional<String> did = Optional.ofNullable(columns.get("did")).map(c -> row[c].strip()).filter(d -> !d.isEmpty());
    try {
      return new UsageRecord(cell(columns, row, "id"), cell(columns, row, "customer"), did,
          cell(columns, row, "number"), start, duration);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw CliException.input(at + e.getMessage());
    }
  }

  private static String cell(Map<String, Integer> columns, String[] row, String name) {
    return row[columns.get(name)].strip();
  }

  private static Instant start(String at, String text, ZoneId zone) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException withoutOffset) {
      try {
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      } catch (DateTimeParseException e) {
        throw CliException.input(at + "start '" + text + "' is not a date and time (e.g. 2026-06-03T09:15:00Z)");
      }
    }
  }
}
