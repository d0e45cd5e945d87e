package dev.allotment.cli;

import dev.allotment.engine.EventJson;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.StoredEvent;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code allotment events [--after CURSOR] [--limit N] [--json]}: the outbox, in commit order, after a cursor. */
@Command(name = "events", description = "The events billing committed (lines charged, grants, postings, assignment"
    + " changes, low balances, upcoming charges), in commit order, after a cursor. Keep the last cursor shown and"
    + " pass it as --after next time.")
final class EventsCommand extends DatabaseCommand {
  @ParentCommand
  RootCommand root;

  @Option(names = "--after", paramLabel = "CURSOR", defaultValue = "0", description = "Only events after this"
      + " cursor; default ${DEFAULT-VALUE}, from the first.")
  long after;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most this many events;"
      + " default ${DEFAULT-VALUE}.")
  int limit;

  @Option(names = "--json", description = "One JSON object per line, in the documented event shape.")
  boolean json;

  @Override
  RootCommand root() {
    return root;
  }

  @Override
  int run(Storage storage) {
    if (after < 0) {
      throw CliException.input("--after must be a cursor, at least 0, was " + after);
    }
    if (limit < 1 || limit > EventOutbox.MAX_READ) {
      throw CliException.input("--limit must be within 1.." + EventOutbox.MAX_READ + ", was " + limit);
    }
    List<StoredEvent> events = storage.billing().events().read(after, limit);
    if (json) {
      events.forEach(event -> out().println(EventJson.write(event)));
      return 0;
    }
    if (events.isEmpty()) {
      out().println("No events after cursor " + after + ".");
      return 0;
    }
    Table table = new Table(">Cursor", "Committed", "Type", "Customer", "Id");
    for (StoredEvent stored : events) {
      table.add(stored.cursor(), stored.event().committedAt(), stored.event().type(), stored.event().customerId(),
          stored.event().id());
    }
    table.print(out());
    out().println(events.size() + " event" + (events.size() == 1 ? "" : "s") + "; the last cursor is "
        + events.get(events.size() - 1).cursor() + " (pass it as --after to read on).");
    return 0;
  }
}
