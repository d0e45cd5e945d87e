package dev.allotment.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.StoredEvent;
import java.util.List;
import java.util.Objects;

/**
 * The JSON of an event, version {@value #SCHEMA}: one object per event, on one line,
 *
 * <pre>{@code
 * {"schema":"allotment.event/1","cursor":42,"id":"LINE_CHARGED:a-1/RECURRING/2026-07-01",
 *  "type":"LINE_CHARGED","customerId":"c-1","committedAt":"2026-07-01T02:00:00.123456Z",
 *  "payload":{"lineKey":"a-1/RECURRING/2026-07-01","retail":"12.50", ...}}
 * }</pre>
 *
 * {@code cursor} is absent for an event not read from the outbox (a listener's, a simulation's).
 * Dates and instants are ISO-8601 strings, amounts decimal strings, seconds whole numbers. The
 * fields of each type's payload are listed in {@code docs/guide/events.md}; a later version adds
 * fields and changes {@code schema}, never the meaning of a field.
 *
 * <p>Thread-safe (stateless).
 */
public final class EventJson {
  /** The schema of the JSON this class writes. */
  public static final String SCHEMA = "allotment.event/1";

  private static final ObjectWriter ONE_LINE = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private EventJson() {}

  /**
   * An event read from the outbox, with its cursor.
   *
   * @param event the event
   * @return one line of JSON
   */
  public static String write(StoredEvent event) {
    Objects.requireNonNull(event, "event");
    return write(event.event(), event.cursor());
  }

  /**
   * An event without a cursor (a listener's, or one a simulation reports).
   *
   * @param event the event
   * @return one line of JSON
   */
  public static String write(BillingEvent event) {
    return write(Objects.requireNonNull(event, "event"), 0);
  }

  /**
   * Events read from the outbox, as a JSON array.
   *
   * @param events the events
   * @return the JSON text
   */
  public static String writeAll(List<StoredEvent> events) {
    StringBuilder json = new StringBuilder("[");
    for (int i = 0; i < events.size(); i++) {
      json.append(i == 0 ? "\n  " : ",\n  ").append(write(events.get(i)));
    }
    return json.append(events.isEmpty() ? "]" : "\n]").toString();
  }

  private static String write(BillingEvent event, long cursor) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("schema", SCHEMA);
    if (cursor > 0) {
      node.put("cursor", cursor);
    }
    node.put("id", event.id());
    node.put("type", event.type().name());
    node.put("customerId", event.customerId());
    node.put("committedAt", event.committedAt().toString());
    try {
      node.set("payload", Json.MAPPER.readTree(event.payload()));
      return ONE_LINE.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw Json.invalid("the payload of event '" + event.id() + "'", e);
    }
  }
}
