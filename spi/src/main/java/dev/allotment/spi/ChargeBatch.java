package dev.allotment.spi;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantRevision;
import dev.allotment.core.SetOnce;
import dev.allotment.spi.CreditLedger.Posting;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one batch of a run writes, committed together by a {@link UnitOfWork}: the checks it
 * makes first (assignment versions, credit floors) and the effects (journal lines and watermarks,
 * grants, credit postings, cleared reprice markers) with the events that accompany them (see
 * {@link EventOutbox}): those the engine derived from the effects, and the {@link EventType#CREDIT_LOW}
 * events the store derives from the balances it moves when the batch has a {@link CreditLowRule}.
 *
 * <p>Immutable and thread-safe. Build one with {@link #builder()}.
 */
public final class ChargeBatch {
  private final Map<String, Long> expectedVersions;
  private final List<CreditFloor> floors;
  private final List<ChargeLine> lines;
  private final Map<String, LocalDate> watermarks;
  private final List<Grant> grants;
  private final List<GrantRevision> revisions;
  private final List<Posting> postings;
  private final Set<String> repriced;
  private final List<BillingEvent> events;
  private final CreditLowRule creditLow;

  private ChargeBatch(Builder b) {
    this.expectedVersions = b.expectedVersions == null ? Map.of() : b.expectedVersions;
    this.floors = b.floors == null ? List.of() : b.floors;
    this.lines = b.lines == null ? List.of() : b.lines;
    this.watermarks = b.watermarks == null ? Map.of() : b.watermarks;
    this.grants = b.grants == null ? List.of() : b.grants;
    this.revisions = b.revisions == null ? List.of() : b.revisions;
    this.postings = b.postings == null ? List.of() : b.postings;
    this.repriced = b.repriced == null ? Set.of() : b.repriced;
    this.events = b.events == null ? List.of() : b.events;
    this.creditLow = b.creditLow;
  }

  /** {@return a builder of an empty batch} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A batch of grants alone, for hosts adding grants of their own.
   *
   * @param grants the grants
   * @return the batch
   */
  public static ChargeBatch ofGrants(List<Grant> grants) {
    return builder().grants(grants).build();
  }

  /** {@return each assignment's version the batch was planned from; each must still be stored at it} */
  public Map<String, Long> expectedVersions() {
    return expectedVersions;
  }

  /** {@return the balances the customers must have before the postings; see {@link CreditFloor}} */
  public List<CreditFloor> floors() {
    return floors;
  }

  /** {@return the lines to journal, in commit order; a key held already is left as it is} */
  public List<ChargeLine> lines() {
    return lines;
  }

  /** {@return the new watermark per assignment id; a later one held stays} */
  public Map<String, LocalDate> watermarks() {
    return watermarks;
  }

  /** {@return the grants to add; an id held already is left as it is (a revoked one serves calls again)} */
  public List<Grant> grants() {
    return grants;
  }

  /**
   * {@return the revisions of held grants (from GRANT_ADJUSTMENT lines), applied after the grants
   * are added: each held grant named is set to its revision (see {@link GrantRevision}); an unknown id is ignored}
   */
  public List<GrantRevision> revisions() {
    return revisions;
  }

  /** {@return the keyed credit postings, in order; a key held already is left as it is} */
  public List<Posting> postings() {
    return postings;
  }

  /** {@return the assignments whose reprice marker the batch clears (raising their version); each is in {@link #expectedVersions()}} */
  public Set<String> repriced() {
    return repriced;
  }

  /**
   * The events to write with the effects, in order; each accompanies an effect of the batch, and a
   * store writes it in the same unit of work unless the outbox holds its id.
   *
   * @return the events
   */
  public List<BillingEvent> events() {
    return events;
  }

  /** {@return the rule for the {@link EventType#CREDIT_LOW} events of the balances the postings move, if any} */
  public Optional<CreditLowRule> creditLow() {
    return Optional.ofNullable(creditLow);
  }

  /** {@return true when the batch writes nothing} */
  public boolean isEmpty() {
    return lines.isEmpty() && watermarks.isEmpty() && grants.isEmpty() && revisions.isEmpty() && postings.isEmpty()
        && repriced.isEmpty() && events.isEmpty();
  }

  @Override
  public String toString() {
    return "ChargeBatch[" + lines.size() + " lines, " + watermarks.size() + " watermarks, " + grants.size()
        + " grants, " + revisions.size() + " revisions, " + postings.size() + " postings, " + repriced.size() + " repriced, " + events.size()
        + " events; checks "
        + expectedVersions.size() + " versions, " + floors.size() + " floors]";
  }

  /**
   * Builds a {@link ChargeBatch}. Each setter may be called once.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private Map<String, Long> expectedVersions;
    private List<CreditFloor> floors;
    private List<ChargeLine> lines;
    private Map<String, LocalDate> watermarks;
    private List<Grant> grants;
    private List<GrantRevision> revisions;
    private List<Posting> postings;
    private Set<String> repriced;
    private List<BillingEvent> events;
    private CreditLowRule creditLow;

    private Builder() {}

    /**
     * Each assignment's version as planned.
     *
     * @param expectedVersions assignment id to the version planned from
     * @return this builder
     */
    public Builder expectedVersions(Map<String, Long> expectedVersions) {
      SetOnce.check(this.expectedVersions, "expectedVersions");
      this.expectedVersions = Map.copyOf(expectedVersions);
      return this;
    }

    /**
     * The versions of {@code planned}, as read.
     *
     * @param planned the assignments the batch was planned from
     * @return this builder
     */
    public Builder expectedVersionsOf(List<Assignment> planned) {
      Map<String, Long> versions = new LinkedHashMap<>();
      for (Assignment assignment : planned) {
        versions.put(assignment.id(), assignment.version());
      }
      return expectedVersions(versions);
    }

    /**
     * The balances the customers must have before the postings, under {@code ONLY_IF_COVERED} (default none).
     *
     * @param floors the floors, one per customer and currency
     * @return this builder
     */
    public Builder floors(List<CreditFloor> floors) {
      SetOnce.check(this.floors, "floors");
      this.floors = List.copyOf(floors);
      return this;
    }

    /**
     * The lines to journal, in commit order (default none).
     *
     * @param lines the lines
     * @return this builder
     */
    public Builder lines(List<ChargeLine> lines) {
      SetOnce.check(this.lines, "lines");
      this.lines = List.copyOf(lines);
      return this;
    }

    /**
     * The new watermark per assignment id (default none).
     *
     * @param watermarks assignment id to watermark
     * @return this builder
     */
    public Builder watermarks(Map<String, LocalDate> watermarks) {
      SetOnce.check(this.watermarks, "watermarks");
      Map<String, LocalDate> copy = new LinkedHashMap<>();
      watermarks.forEach((id, date) -> copy.put(Objects.requireNonNull(id, "watermark assignment id"),
          Objects.requireNonNull(date, "watermark")));
      this.watermarks = Collections.unmodifiableMap(copy);
      return this;
    }

    /**
     * The grants of the batch's FREE_MINUTES lines (default none).
     *
     * @param grants the grants
     * @return this builder
     */
    public Builder grants(List<Grant> grants) {
      SetOnce.check(this.grants, "grants");
      this.grants = List.copyOf(grants);
      return this;
    }

    /**
     * The revisions of the batch's GRANT_ADJUSTMENT lines (default none).
     *
     * @param revisions the revisions
     * @return this builder
     */
    public Builder revisions(List<GrantRevision> revisions) {
      SetOnce.check(this.revisions, "revisions");
      this.revisions = List.copyOf(revisions);
      return this;
    }

    /**
     * The credit postings of the batch's auto-decrement lines, in order (default none).
     *
     * @param postings the postings
     * @return this builder
     */
    public Builder postings(List<Posting> postings) {
      SetOnce.check(this.postings, "postings");
      this.postings = List.copyOf(postings);
      return this;
    }

    /**
     * The assignments whose reprice marker the batch clears (default none); each must have an expected version.
     *
     * @param repriced the assignment ids
     * @return this builder
     */
    public Builder repriced(Set<String> repriced) {
      SetOnce.check(this.repriced, "repriced");
      this.repriced = Collections.unmodifiableSet(new LinkedHashSet<>(repriced));
      return this;
    }

    /**
     * The events that accompany the batch's effects, in order (default none).
     *
     * @param events the events
     * @return this builder
     */
    public Builder events(List<BillingEvent> events) {
      SetOnce.check(this.events, "events");
      this.events = List.copyOf(events);
      return this;
    }

    /**
     * The rule for the {@link EventType#CREDIT_LOW} events of the balances the postings move (default none).
     *
     * @param creditLow the rule
     * @return this builder
     */
    public Builder creditLow(CreditLowRule creditLow) {
      SetOnce.check(this.creditLow, "creditLow");
      this.creditLow = Objects.requireNonNull(creditLow, "creditLow");
      return this;
    }

    /**
     * Validates and builds the batch.
     *
     * @return the batch
     * @throws IllegalArgumentException when a repriced assignment has no expected version, or two
     *     postings (or two events) share a key
     */
    public ChargeBatch build() {
      for (String id : repriced == null ? Set.<String>of() : repriced) {
        if (expectedVersions == null || !expectedVersions.containsKey(id)) {
          throw new IllegalArgumentException("repriced assignment '" + id + "' must have an expected version");
        }
      }
      Set<String> keys = new HashSet<>(postings == null ? 16 : postings.size() * 2);
      for (Posting posting : postings == null ? List.<Posting>of() : postings) {
        if (!keys.add(posting.entry().key())) {
          throw new IllegalArgumentException("postings must have distinct keys, '" + posting.entry().key()
              + "' came twice");
        }
      }
      Set<String> eventIds = new HashSet<>(events == null ? 16 : events.size() * 2);
      for (BillingEvent event : events == null ? List.<BillingEvent>of() : events) {
        if (!eventIds.add(event.id())) {
          throw new IllegalArgumentException("events must have distinct ids, '" + event.id() + "' came twice");
        }
      }
      return new ChargeBatch(this);
    }
  }

  /** {@return the lines of the batch by assignment id, in batch order; for stores that write per assignment} */
  public Map<String, List<ChargeLine>> linesByAssignment() {
    Map<String, List<ChargeLine>> grouped = new LinkedHashMap<>();
    for (ChargeLine line : lines) {
      grouped.computeIfAbsent(line.assignmentId(), k -> new ArrayList<>()).add(line);
    }
    return grouped;
  }
}
