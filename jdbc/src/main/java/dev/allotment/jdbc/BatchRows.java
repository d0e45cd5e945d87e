package dev.allotment.jdbc;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.LineKind;
import dev.allotment.spi.BillingEvent;
import dev.allotment.spi.ChargeBatch;
import dev.allotment.spi.CreditFloor;
import dev.allotment.spi.CreditLowRule;
import dev.allotment.spi.CreditLedger.Posting;
import dev.allotment.spi.EventType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link ChargeBatch} as the rows {@link JdbcUnitOfWork} writes, every value checked against its
 * column before any statement runs (an {@link IllegalArgumentException} names the field and the
 * value), and every table's rows in the one order all commits lock them in: lines by key,
 * watermarks and versions by assignment id, grants and grant revisions by id, postings by customer,
 * currency and key. Of two lines (or grants) with one key in a batch, the first is the one kept; of
 * two revisions of one grant, the last (applying both in order leaves the grant as the last alone).
 *
 * <p>Immutable once built; confined to the committing thread.
 */
final class BatchRows {
  /** Postings' lock order: their balance row first, so balances are locked in customer order. */
  private static final Comparator<Posting> POSTING_ORDER = Comparator
      .comparing((Posting p) -> p.entry().customerId())
      .thenComparing(p -> p.entry().amount().currency().getCurrencyCode())
      .thenComparing(p -> p.entry().key());

  final List<ChargeLine> lines;
  final List<Object[]> lineRows;
  final List<Object[]> watermarkRows;
  final List<Object[]> grantRows;
  /** Rows of {@link FreeMinuteSql#REVISE_GRANT}: (allocated seconds, valid until or null, grant id), by id. */
  final List<Object[]> revisionRows;
  final List<Object[]> entryRows;
  /** The assignments to check, by id; ids no column holds are in {@link #unheld}. */
  final TreeMap<String, Long> versions = new TreeMap<>();
  /** Assignments to check that no row can hold, so they are not stored at any version. */
  final Set<String> unheld = new LinkedHashSet<>();
  final List<CreditFloor> floors;
  /**
   * The customers whose balance rows the checks lock: with floors, those of the floors and of the
   * postings, so that the later balance updates take no lock out of customer order.
   */
  final TreeSet<String> lockedCustomers = new TreeSet<>();
  /** Repriced assignment id to its expected version, by id. */
  final TreeMap<String, Long> repriced = new TreeMap<>();
  /** The batch's events as rows of {@link EventSql#row}, in batch order. */
  final List<Object[]> eventRows;
  /**
   * For each of {@link #eventRows}, the effect of the batch whose insertion makes it new (see
   * {@link #lineEffect}, {@link #grantEffect}, {@link #entryEffect}), or null for an event its id alone
   * keeps once ({@link dev.allotment.spi.BillingEvent}).
   */
  final List<String> eventEffects;
  /** The batch's credit-low rule, or null. */
  final CreditLowRule creditLow;

  private BatchRows(ChargeBatch batch) {
    List<ChargeLine> ordered = new ArrayList<>(batch.lines());
    // Stable: of two lines with one key the first stays first, and is the one an insert-if-absent keeps.
    ordered.sort(Comparator.comparing(ChargeLine::key));
    this.lines = List.copyOf(ordered);
    this.lineRows = new ArrayList<>(lines.size());
    for (ChargeLine line : lines) {
      lineRows.add(JdbcChargeJournal.row(line));
    }

    TreeMap<String, LocalDate> marks = new TreeMap<>();
    for (Map.Entry<String, LocalDate> mark : batch.watermarks().entrySet()) {
      String id = Columns.text("watermark assignment id", mark.getKey(), Columns.ID_LENGTH);
      marks.put(id, Columns.date("watermark of assignment '" + id + "'", mark.getValue()));
    }
    this.watermarkRows = new ArrayList<>(marks.size());
    marks.forEach((id, date) -> watermarkRows.add(new Object[] {id, date}));

    TreeMap<String, Grant> grants = new TreeMap<>();
    for (Grant grant : batch.grants()) {
      grants.putIfAbsent(Objects.requireNonNull(grant, "grant").id(), grant);
    }
    this.grantRows = new ArrayList<>(grants.size());
    grants.values().forEach(grant -> grantRows.add(FreeMinuteSql.row(grant)));

    TreeMap<String, Object[]> revisions = new TreeMap<>();
    for (GrantRevision revision : batch.revisions()) {
      String id = Objects.requireNonNull(revision, "revision").grantId();
      Object[] row = FreeMinuteSql.row(revision);
      // A grant id no column can hold names no held grant: ignored, like any unknown id.
      if (id.length() <= Columns.GRANT_ID_LENGTH && Columns.storable(id)) {
        revisions.put(id, row);
      }
    }
    this.revisionRows = new ArrayList<>(revisions.values());

    List<Posting> postings = new ArrayList<>(batch.postings());
    postings.sort(POSTING_ORDER);
    this.entryRows = new ArrayList<>(postings.size());
    for (Posting posting : postings) {
      entryRows.add(JdbcCreditLedger.row(posting.entry(), posting.debit()));
    }

    batch.expectedVersions().forEach((id, version) -> {
      if (id.length() <= Columns.ID_LENGTH && Columns.storable(id)) {
        versions.put(id, version);
      } else {
        unheld.add(id);
      }
    });
    this.floors = batch.floors();
    if (!floors.isEmpty()) {
      floors.forEach(floor -> lockedCustomers.add(floor.customerId()));
      postings.forEach(posting -> lockedCustomers.add(posting.entry().customerId()));
      // No row holds such a customer, whose balance is then zero (and whose postings were refused above).
      lockedCustomers.removeIf(customer -> customer.length() > Columns.ID_LENGTH || !Columns.storable(customer));
    }
    for (String id : batch.repriced()) {
      repriced.put(id, batch.expectedVersions().get(id));
    }
    this.eventRows = new ArrayList<>(batch.events().size());
    this.eventEffects = new ArrayList<>(batch.events().size());
    Map<String, String> effectsById = batch.events().isEmpty() ? Map.of() : effectsById();
    for (BillingEvent event : batch.events()) {
      eventRows.add(EventSql.row(event));
      eventEffects.add(effectsById.get(event.id()));
    }
    this.creditLow = batch.creditLow().orElse(null);
  }

  /** The effect of each id an event of one of the batch's lines, grants or postings has. */
  private Map<String, String> effectsById() {
    Map<String, String> effects = new HashMap<>((lines.size() * 2 + grantRows.size() + entryRows.size()) * 2);
    for (int i = 0; i < lines.size(); i++) {
      ChargeLine line = lines.get(i);
      String key = line.keyText();
      String effect = lineEffect(lineRows.get(i));
      effects.putIfAbsent(BillingEvent.idOf(EventType.LINE_CHARGED, key), effect);
      if (line.kind() == LineKind.GRANT_ADJUSTMENT) {
        effects.putIfAbsent(BillingEvent.idOf(EventType.GRANT_CUT, key), effect);
      }
    }
    for (Object[] grant : grantRows) {
      effects.put(BillingEvent.idOf(EventType.GRANT_ISSUED, (String) grant[0]), grantEffect((String) grant[0]));
    }
    for (Object[] entry : entryRows) {
      effects.put(BillingEvent.idOf(EventType.CREDIT_POSTED, (String) entry[0]), entryEffect((String) entry[0]));
    }
    return effects;
  }

  /** The effect of a line row: its key columns (assignment id, kind, period start, sequence). */
  static String lineEffect(Object[] lineRow) {
    return lineEffect((String) lineRow[0], (String) lineRow[1], lineRow[2].toString(), lineRow[3].toString());
  }

  /** The effect of a line by its key columns' text (the date as ISO-8601). */
  static String lineEffect(String assignmentId, String kind, String periodStart, String sequence) {
    return "L" + assignmentId + '\u001f' + kind + '\u001f' + periodStart + '\u001f' + sequence;
  }

  static String grantEffect(String grantId) {
    return "G" + grantId;
  }

  static String entryEffect(String entryKey) {
    return "E" + entryKey;
  }

  /** The batch's rows; every check of a value against its column is made here. */
  static BatchRows of(ChargeBatch batch) {
    return new BatchRows(Objects.requireNonNull(batch, "batch"));
  }

  /** True when the batch neither checks nor writes anything. */
  boolean isEmpty() {
    return versions.isEmpty() && unheld.isEmpty() && floors.isEmpty() && lineRows.isEmpty()
        && watermarkRows.isEmpty() && grantRows.isEmpty() && revisionRows.isEmpty() && entryRows.isEmpty()
        && repriced.isEmpty() && eventRows.isEmpty();
  }

  /** The customer (index 1) of entry row {@code row}. */
  static String customer(Object[] entryRow) {
    return (String) entryRow[1];
  }

  /** The currency code (index 3) of entry row {@code row}. */
  static String currency(Object[] entryRow) {
    return (String) entryRow[3];
  }

  /** The signed amount of entry row {@code row}: negative for a debit. */
  static BigDecimal signed(Object[] entryRow) {
    BigDecimal amount = (BigDecimal) entryRow[4];
    return (Boolean) entryRow[2] ? amount.negate() : amount;
  }

  @Override
  public String toString() {
    return lineRows.size() + " charge lines, " + watermarkRows.size() + " watermarks, " + grantRows.size()
        + " grants, " + revisionRows.size() + " grant revisions, " + entryRows.size() + " credit postings, "
        + repriced.size() + " cleared reprice markers and " + eventRows.size() + " events";
  }
}
