package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.Suspension;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.EventPayload;
import dev.allotment.spi.EventType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of the engine's effects, each with its id derived from its cause (the line key, the
 * grant id, the posting key, the assignment id and stored version), so that the outbox, which skips
 * ids it holds, writes each at most once however often its cause is committed again. The payload
 * fields of each type are listed in {@code docs/guide/events.md}.
 *
 * <p>Thread-safe (stateless).
 */
final class EventFactory {
  private EventFactory() {}

  /** What an {@link EventType#ASSIGNMENT_CHANGED} event says was done. */
  enum AssignmentChange {
    /** Added by {@link PackageBilling#assign}. */
    ASSIGNED,
    /** End date set or moved by {@link PackageBilling#unassign}. */
    UNASSIGNED,
    /** End date removed by {@link PackageBilling#reinstate}. */
    REINSTATED,
    /** Own prices set or removed by {@link PackageBilling#setOwnPrices}. */
    PRICES_CHANGED,
    /** Ended by a plan change ({@link PackageBilling#change}); its successor has an event of its own. */
    CHANGED,
    /** Started by a plan change, as the successor of the assignment in {@code previousAssignmentId}. */
    SUCCEEDED,
    /** Suspended by {@link PackageBilling#suspend}. */
    SUSPENDED,
    /** Resumed by {@link PackageBilling#resume}. */
    RESUMED
  }

  static String id(EventType type, String cause) {
    return BillingEvent.idOf(type, cause);
  }

  static BillingEvent lineCharged(ChargeLine line, Instant at) {
    return lineCharged(line, lineChargedPayload(line), at);
  }

  /** The event of a line whose payload {@link #lineChargedPayload} gave (a run's read-ahead prepares them). */
  static BillingEvent lineCharged(ChargeLine line, String payload, Instant at) {
    return new BillingEvent(id(EventType.LINE_CHARGED, line.keyText()), EventType.LINE_CHARGED, line.customerId(), at,
        payload);
  }

  /** The payload of a line's {@link EventType#LINE_CHARGED} event, which depends on the line alone. */
  static String lineChargedPayload(ChargeLine line) {
    return line(line).build();
  }

  static BillingEvent chargeUpcoming(ChargeLine line, int notificationDays, Instant at) {
    return new BillingEvent(id(EventType.CHARGE_UPCOMING, line.keyText()), EventType.CHARGE_UPCOMING,
        line.customerId(), at, line(line).put("notificationDays", notificationDays).build());
  }

  private static EventPayload line(ChargeLine line) {
    return EventPayload.builder().put("lineKey", line.keyText()).put("assignmentId", line.assignmentId())
        .put("customerId", line.customerId()).put("did", line.did()).put("packageId", line.packageId())
        .put("kind", line.kind().name()).put("periodStart", line.period().start())
        .put("periodEnd", line.period().lastDay()).put("dueDate", line.dueDate()).put("quantity", line.quantity())
        .put("currency", line.retail().currency().getCurrencyCode()).put("retail", line.retail().amount())
        .put("cost", line.cost().amount()).put("grantSeconds", line.grantSeconds())
        .put("autoDecrement", line.autoDecrement());
  }

  static BillingEvent grantIssued(Grant grant, Instant at) {
    EventPayload payload = EventPayload.builder().put("grantId", grant.id()).put("assignmentId", grant.assignmentId())
        .put("customerId", grant.customerId()).put("did", grant.did())
        .put("allocatedSeconds", grant.allocatedSeconds()).put("validFrom", grant.validFrom());
    grant.validUntil().ifPresent(until -> payload.put("validUntil", until));
    return new BillingEvent(id(EventType.GRANT_ISSUED, grant.id()), EventType.GRANT_ISSUED, grant.customerId(), at,
        payload.build());
  }

  /**
   * The {@link EventType#GRANT_CUT} event of a GRANT_ADJUSTMENT line: the grant's new allocation
   * (at least its used seconds, which the store applies) and validity. Its id is the line's key,
   * so each revision has one event; a later end that restores a grant writes one too, with larger figures.
   */
  static BillingEvent grantCut(ChargeLine line, GrantRevision revision, Instant at) {
    EventPayload payload = EventPayload.builder().put("grantId", revision.grantId())
        .put("lineKey", line.keyText()).put("assignmentId", line.assignmentId())
        .put("customerId", line.customerId()).put("did", line.did()).put("allocatedSeconds", revision.allocatedSeconds());
    revision.validUntil().ifPresent(until -> payload.put("validUntil", until));
    return new BillingEvent(id(EventType.GRANT_CUT, line.keyText()), EventType.GRANT_CUT, line.customerId(), at,
        payload.build());
  }

  static BillingEvent creditPosted(Posting posting, Instant at) {
    String key = posting.entry().key();
    String payload = EventPayload.builder().put("entryKey", key).put("customerId", posting.entry().customerId())
        .put("currency", posting.entry().amount().currency().getCurrencyCode())
        .put("amount", posting.entry().amount().amount()).put("debit", posting.debit())
        .put("signedAmount", posting.signedAmount().amount()).build();
    return new BillingEvent(id(EventType.CREDIT_POSTED, key), EventType.CREDIT_POSTED, posting.entry().customerId(),
        at, payload);
  }

  /** The event of {@code stored}, the assignment as a change stored it (with its new version). */
  static BillingEvent assignmentChanged(Assignment stored, AssignmentChange change, Instant at) {
    EventPayload payload = EventPayload.builder().put("assignmentId", stored.id()).put("customerId", stored.customerId())
        .put("did", stored.did()).put("packageId", stored.packageId()).put("change", change.name())
        .put("version", stored.version()).put("quantity", stored.quantity()).put("startDate", stored.startDate());
    stored.endDate().ifPresent(end -> payload.put("endDate", end));
    if (!stored.suspensions().isEmpty()) {
      payload.put("suspensions", Suspension.format(stored.suspensions()));
    }
    stored.previous().ifPresent(p -> payload.put("previousAssignmentId", p.assignmentId()));
    OwnPrices prices = stored.ownPrices();
    prices.retail().ifPresent(p -> payload.put("ownRetail", p));
    prices.cost().ifPresent(p -> payload.put("ownCost", p));
    prices.setupRetail().ifPresent(p -> payload.put("ownSetupRetail", p));
    prices.setupCost().ifPresent(p -> payload.put("ownSetupCost", p));
    return new BillingEvent(id(EventType.ASSIGNMENT_CHANGED, stored.id() + "@" + stored.version()),
        EventType.ASSIGNMENT_CHANGED, stored.customerId(), at, payload.build());
  }

  /** The {@link EventType#ASSIGNMENT_FAILED} event of a CHARGE for {@code date}: once per assignment and date. */
  static BillingEvent assignmentFailed(RunFailure failure, LocalDate date, Instant at) {
    EventPayload payload = EventPayload.builder().put("assignmentId", failure.assignmentId())
        .put("customerId", failure.customerId()).put("packageId", failure.packageId()).put("runDate", date)
        .put("stage", failure.stage().name()).put("error", failure.error());
    return new BillingEvent(id(EventType.ASSIGNMENT_FAILED, failure.assignmentId() + "@" + date),
        EventType.ASSIGNMENT_FAILED, failure.customerId(), at, payload.build());
  }

  /**
   * The {@link EventType#GRANT_LOW} and {@link EventType#GRANT_EXHAUSTED} events of a consumption:
   * a grant whose take moved it from not low to low (see {@link Grant#isLowAt}), or from some
   * seconds left to none. A take that does both writes both. Each id is the grant's, so a grant
   * has each event once, whatever refunds and consumptions follow.
   */
  static List<BillingEvent> grantThresholds(Consumption consumption, List<GrantBalance> takenFrom, Instant at) {
    List<BillingEvent> events = new ArrayList<>(0);
    for (GrantBalance after : takenFrom) {
      Grant grant = after.grant();
      long before = after.usedSeconds() - consumption.takenFrom(grant.id());
      if (grant.isLowAt(after.usedSeconds()) && !grant.isLowAt(Math.max(0, before))) {
        events.add(grantThreshold(EventType.GRANT_LOW, after, consumption, at));
      }
      if (after.remainingSeconds() == 0 && before < grant.allocatedSeconds()) {
        events.add(grantThreshold(EventType.GRANT_EXHAUSTED, after, consumption, at));
      }
    }
    return events;
  }

  private static BillingEvent grantThreshold(EventType type, GrantBalance balance, Consumption consumption, Instant at) {
    Grant grant = balance.grant();
    String payload = EventPayload.builder().put("grantId", grant.id()).put("assignmentId", grant.assignmentId())
        .put("customerId", grant.customerId()).put("usedSeconds", balance.usedSeconds())
        .put("allocatedSeconds", grant.allocatedSeconds()).put("remainingSeconds", balance.remainingSeconds())
        .put("lowBalancePercent", grant.lowBalancePercent()).put("usageId", consumption.usageId()).build();
    return new BillingEvent(id(type, grant.id()), type, grant.customerId(), at, payload);
  }
}
