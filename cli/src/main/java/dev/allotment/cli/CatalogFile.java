package dev.allotment.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A catalog document read from a file, and the line an import's refusal points at. The engine's
 * {@code CatalogJson} names what is wrong by path ({@code packages[3] has an unknown field
 * 'retial'}); a person fixing the file wants the line, so this walks the document once more with
 * Jackson's streaming parser and notes the line of every package, every field and every id.
 */
final class CatalogFile {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Pattern AT_LINE = Pattern.compile("at line (\\d+)");
  private static final Pattern PACKAGE = Pattern.compile("^packages\\[(\\d+)]");
  private static final Pattern UNKNOWN_FIELD = Pattern.compile("unknown field '([^']*)'");
  private static final Pattern FIELD_AFTER_ID = Pattern.compile("^packages\\[\\d+] \\(id '[^']*'\\): (\\w+)");
  private static final Pattern QUOTED = Pattern.compile("'([^']+)'");

  /** Lines by path: "name" at the top level, "packages[i]" and "packages[i].field" below; ids by value. */
  private final Map<String, Integer> lines = new HashMap<>();
  private final Map<String, Integer> packageById = new HashMap<>();

  private CatalogFile(String json) {
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        lines.put(name, line(parser));
        if (parser.nextToken() == JsonToken.START_ARRAY && name.equals("packages")) {
          readPackages(parser);
        } else {
          parser.skipChildren();
        }
      }
    } catch (IOException e) {
      // A malformed document: the engine's own message names its line, nothing to add.
    }
  }

  private void readPackages(JsonParser parser) throws IOException {
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken(), index++) {
      String at = "packages[" + index + "]";
      lines.put(at, line(parser));
      if (token != JsonToken.START_OBJECT) {
        parser.skipChildren();
        continue;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        lines.putIfAbsent(at + "." + field, line(parser));
        if (parser.nextToken() == JsonToken.VALUE_STRING && field.equals("id")) {
          packageById.putIfAbsent(parser.getText(), index);
        }
        parser.skipChildren();
      }
    }
  }

  private static int line(JsonParser parser) {
    return parser.currentTokenLocation().getLineNr();
  }

  /** The file's text; a missing or unreadable file is refused naming it. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw CliException.input(file + ": no such file");
    } catch (MalformedInputException e) {
      throw CliException.input(file + ": not UTF-8 text");
    } catch (IOException e) {
      throw CliException.input(file + ": cannot read it: " + e.getMessage());
    }
  }

  /**
   * The refusal of an import of {@code json} from {@code file}: {@code FILE line N: message}, the
   * line being the one the message's path (or package id) points at, else {@code FILE: message}.
   */
  static CliException refusal(Path file, String json, String message) {
    Optional<Integer> line = new CatalogFile(json).lineOf(message);
    return CliException.input(file + line.map(n -> " line " + n).orElse("") + ": " + message);
  }

  private Optional<Integer> lineOf(String message) {
    Matcher atLine = AT_LINE.matcher(message);
    if (atLine.find()) {
      return Optional.of(Integer.parseInt(atLine.group(1)));
    }
    Matcher unknown = UNKNOWN_FIELD.matcher(message);
    Matcher pkg = PACKAGE.matcher(message);
    if (pkg.find()) {
      String at = "packages[" + pkg.group(1) + "]";
      if (unknown.find()) {
        return first(at + "." + unknown.group(1), at);
      }
      Matcher field = FIELD_AFTER_ID.matcher(message);
      return field.find() ? first(at + "." + field.group(1), at) : first(at);
    }
    if (unknown.find()) {
      return first(unknown.group(1));
    }
    // A refusal about a package by id (a change the catalog does not allow): that package's line.
    Matcher quoted = QUOTED.matcher(message);
    while (quoted.find()) {
      Integer index = packageById.get(quoted.group(1));
      if (index != null) {
        return first("packages[" + index + "].id", "packages[" + index + "]");
      }
    }
    return first("packages");
  }

  private Optional<Integer> first(String... paths) {
    for (String path : paths) {
      Integer line = lines.get(path);
      if (line != null) {
        return Optional.of(line);
      }
    }
    return Optional.empty();
  }
}
