package dev.allotment.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The engine's one Jackson configuration: ISO dates, exact decimals, unknown fields refused, and
 * strict documents: anything after the document ({@code FAIL_ON_TRAILING_TOKENS}) and a key given
 * twice in one object ({@code STRICT_DUPLICATE_DETECTION}: {@code "retail":"1","retail":"100"}
 * would otherwise keep the last) are refused.
 */
final class Json {
  /** Thread-safe once configured. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private Json() {}

  /** Jackson's complaint as an {@link IllegalArgumentException} naming where the JSON went wrong. */
  static IllegalArgumentException invalid(String what, JsonProcessingException e) {
    String where = e.getLocation() == null ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    return new IllegalArgumentException(what + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
  }
}
