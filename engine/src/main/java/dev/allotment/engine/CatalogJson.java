package dev.allotment.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.MonthEnd;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The catalog as JSON, for import and export:
 *
 * <pre>{@code
 * {"packages": [{
 *   "id": "gold", "name": "Gold", "description": "",
 *   "currency": "USD", "retail": "10.00", "cost": "4.00", "setupRetail": "25.00", "setupCost": "0",
 *   "frequency": "MONTHLY", "frequencyMatch": "1,15", "monthEnd": "CLAMP", "firstPeriod": "PRORATED",
 *   "minimumDays": 30, "minimumSpend": false, "types": ["FREE_MINUTES"], "destination": "^44|^91",
 *   "features": ["voicemail"], "roundingIncrementSeconds": 60, "notificationDays": 7,
 *   "lowBalancePercent": 20}]}
 * }</pre>
 *
 * <p>Export writes every field (amounts as exact plain decimal strings); import requires
 * {@code id}, {@code name}, {@code currency} and {@code frequency}, defaults the rest as
 * {@link ServicePackageBuilder} does, accepts amounts as strings or numbers, and validates every
 * package through the builder. Unknown fields are refused, so a typo never silently drops a
 * setting; so are a field given twice in one object and anything after the document. Amounts
 * are bounded as {@link dev.allotment.core.Limits#unitAmount} says, and checked without ever being
 * expanded ({@code 1E+999999999} is refused at once). {@code frequencyMatch} uses the
 * {@link FrequencyMatch#parse} form.
 *
 * <p>Stateless and thread-safe.
 */
public final class CatalogJson {
  private static final Set<String> FIELDS = Set.of("id", "name", "description", "currency", "retail", "cost",
      "setupRetail", "setupCost", "frequency", "frequencyMatch", "monthEnd", "firstPeriod", "minimumDays",
      "minimumSpend", "types", "destination", "features", "roundingIncrementSeconds", "notificationDays",
      "lowBalancePercent");

  private CatalogJson() {}

  /**
   * Every field of every package, in the order given.
   *
   * @param packages the packages
   * @return the catalog document
   */
  public static String write(Collection<ServicePackage> packages) {
    Objects.requireNonNull(packages, "packages");
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode array = root.putArray("packages");
    for (ServicePackage p : packages) {
      ObjectNode node = array.addObject();
      node.put("id", p.id());
      node.put("name", p.name());
      node.put("description", p.description());
      node.put("currency", p.currency().getCurrencyCode());
      node.put("retail", p.retail().amount().toPlainString());
      node.put("cost", p.cost().amount().toPlainString());
      node.put("setupRetail", p.setupRetail().amount().toPlainString());
      node.put("setupCost", p.setupCost().amount().toPlainString());
      node.put("frequency", p.frequency().name());
      node.put("frequencyMatch", p.frequencyMatch().toString());
      node.put("monthEnd", p.monthEnd().name());
      node.put("firstPeriod", p.firstPeriod().name());
      node.put("minimumDays", p.minimumDays());
      node.put("minimumSpend", p.minimumSpend());
      ArrayNode types = node.putArray("types");
      p.types().stream().sorted().forEach(t -> types.add(t.name()));
      if (p.destination().isPresent()) {
        node.put("destination", p.destination().get().source());
      } else {
        node.putNull("destination");
      }
      ArrayNode features = node.putArray("features");
      p.features().forEach(features::add);
      node.put("roundingIncrementSeconds", p.roundingIncrementSeconds());
      node.put("notificationDays", p.notificationDays());
      node.put("lowBalancePercent", p.lowBalancePercent());
    }
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the catalog", e);
    }
  }

  /**
   * Parses and validates a catalog document.
   *
   * @param json the catalog document
   * @return the packages in document order
   * @throws IllegalArgumentException naming the package, the field and the value when the JSON is
   *     malformed, a field is unknown or of the wrong type, or a package breaks a rule
   */
  public static List<ServicePackage> parse(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw Json.invalid("catalog JSON", e);
    }
    if (root == null || !root.isObject() || !root.path("packages").isArray()) {
      throw new IllegalArgumentException("catalog JSON must be an object with a \"packages\" array");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("packages")) {
        throw new IllegalArgumentException("catalog JSON has an unknown field '" + name + "'");
      }
    }
    List<ServicePackage> packages = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    JsonNode array = root.get("packages");
    for (int i = 0; i < array.size(); i++) {
      String where = "packages[" + i + "]";
      ServicePackage p = parsePackage(where, array.get(i));
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException(where + ": id '" + p.id() + "' appears twice in the catalog");
      }
      packages.add(p);
    }
    return packages;
  }

  private static ServicePackage parsePackage(String where, JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object, was " + node);
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(where + " has an unknown field '" + name + "'");
      }
    }
    String id = text(where, node, "id", true);
    String at = where + " (id '" + id + "')";
    try {
      ServicePackageBuilder b = ServicePackage.builder(id);
      b.name(text(at, node, "name", true));
      ifPresent(at, node, "description", v -> b.description(v));
      b.currency(text(at, node, "currency", true));
      ifAmount(at, node, "retail", b::retail);
      ifAmount(at, node, "cost", b::cost);
      ifAmount(at, node, "setupRetail", b::setupRetail);
      ifAmount(at, node, "setupCost", b::setupCost);
      b.frequency(enumValue(at, "frequency", text(at, node, "frequency", true), Frequency.class));
      ifPresent(at, node, "frequencyMatch", v -> b.frequencyMatch(FrequencyMatch.parse(v)));
      ifPresent(at, node, "monthEnd", v -> b.monthEnd(enumValue(at, "monthEnd", v, MonthEnd.class)));
      ifPresent(at, node, "firstPeriod", v -> b.firstPeriod(enumValue(at, "firstPeriod", v, FirstPeriod.class)));
      if (present(node, "minimumDays")) {
        b.minimumDays(integer(at, node, "minimumDays"));
      }
      if (present(node, "minimumSpend")) {
        JsonNode value = node.get("minimumSpend");
        if (!value.isBoolean()) {
          throw new IllegalArgumentException(at + ": minimumSpend must be true or false, was " + value);
        }
        b.minimumSpend(value.booleanValue());
      }
      if (present(node, "types")) {
        List<PackageType> types = new ArrayList<>();
        for (String t : strings(at, node, "types")) {
          types.add(enumValue(at, "types", t, PackageType.class));
        }
        b.types(types);
      }
      ifPresent(at, node, "destination", b::destination);
      if (present(node, "features")) {
        b.features(strings(at, node, "features"));
      }
      if (present(node, "roundingIncrementSeconds")) {
        b.roundingIncrementSeconds(integer(at, node, "roundingIncrementSeconds"));
      }
      if (present(node, "notificationDays")) {
        b.notificationDays(integer(at, node, "notificationDays"));
      }
      if (present(node, "lowBalancePercent")) {
        b.lowBalancePercent(integer(at, node, "lowBalancePercent"));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith(at)) {
        throw e;
      }
      throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }
  }

  private static boolean present(JsonNode node, String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  private static String text(String at, JsonNode node, String field, boolean required) {
    if (!present(node, field)) {
      if (required) {
        throw new IllegalArgumentException(at + ": " + field + " is required");
      }
      return null;
    }
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException(at + ": " + field + " must be a string, was " + value);
    }
    return value.textValue();
  }

  private static void ifPresent(String at, JsonNode node, String field, java.util.function.Consumer<String> setter) {
    String value = text(at, node, field, false);
    if (value != null) {
      setter.accept(value);
    }
  }

  private static void ifAmount(String at, JsonNode node, String field,
      java.util.function.Consumer<BigDecimal> setter) {
    if (!present(node, field)) {
      return;
    }
    JsonNode value = node.get(field);
    BigDecimal amount;
    if (value.isNumber()) {
      amount = value.decimalValue();
    } else if (value.isTextual()) {
      if (value.textValue().length() > 100) {
        throw new IllegalArgumentException(at + ": " + field + " is not a decimal number of at most 100 characters,"
            + " was " + value.textValue().length() + " characters");
      }
      try {
        amount = new BigDecimal(value.textValue().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(at + ": " + field + " is not a decimal number: '" + value.textValue() + "'");
      }
    } else {
      throw new IllegalArgumentException(at + ": " + field + " must be a decimal string or number, was " + value);
    }
    setter.accept(amount);
  }

  private static int integer(String at, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException(at + ": " + field + " must be an integer, was " + value);
    }
    return value.intValue();
  }

  private static List<String> strings(String at, JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isArray()) {
      throw new IllegalArgumentException(at + ": " + field + " must be an array of strings, was " + value);
    }
    List<String> strings = new ArrayList<>();
    for (JsonNode element : value) {
      if (!element.isTextual()) {
        throw new IllegalArgumentException(at + ": " + field + " must hold strings only, had " + element);
      }
      strings.add(element.textValue());
    }
    return strings;
  }

  private static <E extends Enum<E>> E enumValue(String at, String field, String value, Class<E> type) {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ": " + field + " must be one of "
          + Arrays.toString(type.getEnumConstants()) + ", was '" + value + "'");
    }
  }
}
