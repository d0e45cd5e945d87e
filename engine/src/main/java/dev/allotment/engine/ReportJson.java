package dev.allotment.engine;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.allotment.core.BillingPeriod;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.CurrencyTotals;
import dev.allotment.core.LineKey;
import dev.allotment.core.LineSubject;
import dev.allotment.core.LineKind;
import dev.allotment.core.LineStatus;
import dev.allotment.core.Money;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Proration;
import dev.allotment.core.StoredLine;
import dev.allotment.core.Totals;
import dev.allotment.spi.EventType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON form of a {@link RunReport}. Money is a plain decimal string beside the currency code,
 * dates are ISO strings. Parsing rebuilds the lines and recomputes counts, totals and grants,
 * refusing a document whose stated figures disagree with its lines.
 */
final class ReportJson {
  private ReportJson() {}

  @JsonPropertyOrder({"date", "mode", "scope", "customerId", "partition", "assignmentsPlanned", "counts", "totals",
      "grants", "events", "failures", "lines"})
  record ReportDto(LocalDate date, RunMode mode, String scope, String customerId, PartitionDto partition,
      long assignmentsPlanned, Map<LineStatus, Long> counts, List<TotalsDto> totals, GrantsDto grants,
      Map<EventType, Long> events, List<FailureDto> failures, List<LineDto> lines) {}

  @JsonPropertyOrder({"assignmentId", "customerId", "packageId", "stage", "error"})
  record FailureDto(String assignmentId, String customerId, String packageId, RunFailure.Stage stage, String error) {}

  record PartitionDto(int index, int count) {}

  @JsonPropertyOrder({"currency", "lines", "retail", "cost", "margin"})
  record TotalsDto(String currency, long lines, String retail, String cost, String margin) {}

  record GrantsDto(long count, long seconds) {}

  @JsonPropertyOrder({"key", "status", "customerId", "did", "packageId", "kind", "periodStart", "periodEndExclusive",
      "dueDate", "quantity", "currency", "unitPrice", "unitCost", "proration", "retail", "cost", "margin",
      "grantSeconds", "grantValidUntil", "autoDecrement"})
  record LineDto(String key, LineStatus status, String customerId, String did, String packageId, LineKind kind,
      LocalDate periodStart, LocalDate periodEndExclusive, LocalDate dueDate, int quantity, String currency,
      String unitPrice, String unitCost, String proration, String retail, String cost, String margin,
      long grantSeconds, LocalDate grantValidUntil, boolean autoDecrement) {}

  static String write(RunReport report) {
    RunSummary summary = report.summary();
    List<TotalsDto> totals = totalsDtos(summary.totals());
    List<LineDto> lines = new ArrayList<>(report.lines().size());
    for (PlannedLine planned : report.lines()) {
      ChargeLine l = planned.line();
      lines.add(new LineDto(l.keyText(), planned.status(), l.customerId(), l.did().orElse(null),
          l.packageId(), l.kind(), l.period().start(), l.period().endExclusive(), l.dueDate(), l.quantity(),
          l.retail().currency().getCurrencyCode(), ReportText.plain(l.unitPrice()), ReportText.plain(l.unitCost()),
          l.proration().toString(), ReportText.plain(l.retail()), ReportText.plain(l.cost()),
          ReportText.plain(l.margin()), l.grantSeconds(), l.grantValidUntil().orElse(null), l.autoDecrement()));
    }
    RunRequest request = summary.request();
    ReportDto dto = new ReportDto(request.date(), request.mode(), request.scope(), request.customerId().orElse(null),
        request.partition().map(p -> new PartitionDto(p.index(), p.count())).orElse(null),
        summary.assignmentsPlanned(), summary.counts(), totals,
        new GrantsDto(summary.grants(), summary.grantSeconds()), summary.events(), summary.failures().stream()
            .map(f -> new FailureDto(f.assignmentId(), f.customerId(), f.packageId(), f.stage(), f.error())).toList(),
        lines);
    try {
      return Json.MAPPER.writeValueAsString(dto);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write report " + report, e);
    }
  }

  /** The totals per currency as the JSON states them, in the totals' currency order. */
  private static List<TotalsDto> totalsDtos(Totals totals) {
    List<TotalsDto> dtos = new ArrayList<>();
    for (CurrencyTotals t : totals.byCurrency().values()) {
      dtos.add(new TotalsDto(t.currency().getCurrencyCode(), t.lines(), ReportText.plain(t.retail()),
          ReportText.plain(t.cost()), ReportText.plain(t.margin())));
    }
    return dtos;
  }

  static RunReport parse(String json) {
    Objects.requireNonNull(json, "json");
    ReportDto dto;
    try {
      dto = Json.MAPPER.readValue(json, ReportDto.class);
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("report JSON field " + e.getPathReference() + " is invalid: "
          + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw Json.invalid("report JSON", e);
    }
    require(dto.date() != null, "report JSON date is required");
    require(dto.mode() != null, "report JSON mode is required");
    RunRequest request;
    try {
      request = new RunRequest(dto.date(), dto.mode(), Optional.ofNullable(dto.customerId()),
          Optional.ofNullable(dto.partition()).map(p -> new RunRequest.Partition(p.index(), p.count())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("report JSON: " + e.getMessage(), e);
    }
    require(dto.scope() == null || dto.scope().equals(request.scope()),
        "report JSON scope '" + dto.scope() + "' does not match customerId and partition ('" + request.scope() + "')");
    List<PlannedLine> lines = new ArrayList<>();
    // The lines show most events; the announcements (CHARGE_UPCOMING) only the stated counts do.
    Map<EventType, Long> statedEvents = dto.events() == null ? Map.of() : dto.events();
    boolean eventsOn = statedEvents.values().stream().anyMatch(count -> count != null && count > 0);
    RunSummary.Tally tally = new RunSummary.Tally(request.mode(), eventsOn);
    Long upcoming = statedEvents.get(EventType.CHARGE_UPCOMING);
    tally.addEvents(EventType.CHARGE_UPCOMING, upcoming == null ? 0 : upcoming);
    List<FailureDto> failureDtos = dto.failures() == null ? List.of() : dto.failures();
    for (int i = 0; i < failureDtos.size(); i++) {
      FailureDto f = failureDtos.get(i);
      try {
        require(f != null, "a failure is required");
        tally.addFailure(new RunFailure(f.assignmentId(), f.customerId(), f.packageId(), f.stage(), f.error()));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("report JSON failures[" + i + "]: " + e.getMessage(), e);
      }
    }
    if (eventsOn) {
      tally.addEvents(EventType.ASSIGNMENT_FAILED, failureDtos.size()); // one per failure, as the run counts them
    }
    List<LineDto> lineDtos = dto.lines() == null ? List.of() : dto.lines();
    for (int i = 0; i < lineDtos.size(); i++) {
      PlannedLine line = line(i, lineDtos.get(i));
      lines.add(line);
      tally.add(line);
    }
    RunReport report = new RunReport(tally.summary(request, dto.assignmentsPlanned()), lines);
    long grants = report.summary().grants();
    long grantSeconds = report.summary().grantSeconds();
    // The stated figures must be those of the lines: a report that disagrees with itself is not one.
    if (dto.counts() != null) {
      for (Map.Entry<LineStatus, Long> count : dto.counts().entrySet()) {
        require(count.getValue() != null && count.getValue() == report.summary().count(count.getKey()),
            "counts." + count.getKey() + " is " + count.getValue() + " but the lines hold "
                + report.summary().count(count.getKey()));
      }
    }
    if (dto.totals() != null) {
      List<TotalsDto> expected = totalsDtos(report.totals());
      require(expected.equals(dto.totals()), "totals are " + dto.totals() + " but the lines give " + expected);
    }
    for (Map.Entry<EventType, Long> count : statedEvents.entrySet()) {
      require(count.getValue() != null && count.getValue() == (long) report.summary().events().get(count.getKey()),
          "events." + count.getKey() + " is " + count.getValue() + " but the lines give "
              + report.summary().events().get(count.getKey()));
    }
    if (dto.grants() != null) {
      require(dto.grants().count() == grants && dto.grants().seconds() == grantSeconds, "grants are "
          + dto.grants() + " but the lines give " + grants + " grants of " + grantSeconds + " s");
    }
    return report;
  }

  private static PlannedLine line(int index, LineDto l) {
    String where = "lines[" + index + "]";
    try {
      require(l.key() != null, "key is required");
      require(l.status() != null, "status is required");
      require(l.currency() != null, "currency is required");
      LineKey key = LineKey.parse(l.key());
      require(l.kind() == null || l.kind() == key.kind(), "kind " + l.kind() + " does not match key " + l.key());
      Currency currency = Money.currency(l.currency());
      LineSubject subject = new LineSubject(key.assignmentId(), l.customerId(), Optional.ofNullable(l.did()),
          l.packageId(), l.quantity(), l.autoDecrement());
      ChargeLine line = new StoredLine(key, subject, new BillingPeriod(l.periodStart(), l.periodEndExclusive()),
          l.dueDate(), money("unitPrice", l.unitPrice(), currency), money("unitCost", l.unitCost(), currency),
          proration(l.proration()), money("retail", l.retail(), currency), money("cost", l.cost(), currency),
          l.grantSeconds(), Optional.ofNullable(l.grantValidUntil())).toLine();
      if (l.margin() != null) {
        require(money("margin", l.margin(), currency).equals(line.margin()),
            "margin " + l.margin() + " is not retail - cost " + line.margin());
      }
      return new PlannedLine(line, l.status());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("report JSON " + where + ": " + e.getMessage(), e);
    }
  }

  private static Money money(String field, String amount, Currency currency) {
    require(amount != null, field + " is required");
    try {
      return Money.of(new BigDecimal(amount), currency);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is not a decimal number: '" + amount + "'");
    }
  }

  /** Parses {@link Proration#toString()}: {@code 1} or {@code days/ofDays}. */
  static Proration proration(String text) {
    require(text != null, "proration is required");
    if (text.equals("1")) {
      return Proration.WHOLE;
    }
    int slash = text.indexOf('/');
    try {
      require(slash > 0, "proration must be '1' or 'days/ofDays', was '" + text + "'");
      return new Proration(Long.parseLong(text.substring(0, slash)), Long.parseLong(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("proration must be '1' or 'days/ofDays', was '" + text + "'");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
