package dev.allotment.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes, from a snapshot, every line due for a date: the pure half of "plan + commit".
 *
 * <p>For each assignment the planner walks the decision points after the journal's watermark
 * (the setup day, each period's start for RECURRING and FREE_MINUTES, each period's end for the
 * MINIMUM_SPEND true-up of that period) up to the run date. A line whose key the history holds is
 * reported {@link LineStatus#ALREADY_CHARGED}, never due again. Periods come from the
 * {@link AssignmentSchedule}, which knows suspensions and plan changes' successors. Every charged
 * RECURRING line in the history is repriced under the assignment's current terms (end date,
 * suspensions); a difference becomes an ADJUSTMENT due on the run date. Every charged FREE_MINUTES
 * grant is revised likewise (grants follow money): a difference becomes a GRANT_ADJUSTMENT.
 *
 * <p>Stateless and thread-safe; the same inputs always give the same plan.
 */
public final class Planner {
  private static final Comparator<PlannedLine> COMMIT_ORDER = Comparator
      .comparing((PlannedLine p) -> p.line().dueDate())
      .thenComparing(p -> p.line().kind())
      .thenComparing(p -> p.line().period().start())
      .thenComparingInt(p -> p.line().key().sequence());

  /**
   * The most lines one assignment's plan may hold due (adjustments aside): ten years of a daily
   * package's charges. A plan that would hold more is refused with an {@link AllotmentException}
   * saying so, before its lines pile up, so memory per assignment stays bounded however long the
   * gap since the assignment was last charged; running for earlier dates first catches it up.
   */
  public static final int MAX_DUE_LINES = 4_000;

  private Planner() {}

  /**
   * Plans every assignment.
   *
   * @param packages the catalog; every assignment's package must be in it
   * @param assignments the assignments to plan
   * @param histories each assignment's history by assignment id; a missing id means nothing charged
   * @param spend the answers to every {@link #spendQueries} of the assignments
   * @param date the run date
   * @return the plan: every assignment's due lines and what the journal already holds
   * @throws IllegalArgumentException if an assignment names a package not in {@code packages}
   */
  public static Plan plan(Collection<ServicePackage> packages, Collection<Assignment> assignments,
      Map<String, ChargeHistory> histories, Map<SpendQuery, Money> spend, LocalDate date) {
    Objects.requireNonNull(histories, "histories");
    Objects.requireNonNull(spend, "spend");
    Objects.requireNonNull(date, "date");
    Map<String, ServicePackage> byId = new HashMap<>();
    for (ServicePackage p : packages) {
      byId.put(p.id(), p);
    }
    Function<String, ChargeHistory> history = id -> histories.getOrDefault(id, ChargeHistory.EMPTY);
    List<AssignmentPlan> plans = new ArrayList<>(assignments.size());
    for (Assignment assignment : assignments) {
      ServicePackage servicePackage = byId.get(assignment.packageId());
      if (servicePackage == null) {
        throw new IllegalArgumentException("assignment '" + assignment.id() + "' names unknown package '"
            + assignment.packageId() + "'");
      }
      plans.add(plan(servicePackage, assignment, history.apply(assignment.id()), spend, date));
    }
    return new Plan(date, plans);
  }

  /**
   * Plans one assignment.
   *
   * @param servicePackage the assignment's package
   * @param assignment the assignment
   * @param history what the journal holds of the assignment: its watermark and the lines the plan can still touch
   * @param date the run date: lines due on or before it are planned
   * @param spend the answers to this assignment's {@link #spendQueries} (more entries are ignored)
   * @return the assignment's due lines and the held lines it examined
   * @throws IllegalArgumentException if the assignment does not belong to the package, or a spend
   *     figure the plan needs is missing, negative or in another currency, or the date is not a
   *     billing date ({@link Limits#date})
   * @throws AllotmentException if more than {@link #MAX_DUE_LINES} lines would be due
   */
  public static AssignmentPlan plan(ServicePackage servicePackage, Assignment assignment, ChargeHistory history,
      Map<SpendQuery, Money> spend, LocalDate date) {
    Objects.requireNonNull(spend, "spend");
    return planning(servicePackage, assignment, history, date, query -> answer(spend, query)).plan();
  }

  /**
   * The spend figures {@link #plan} needs for this assignment and date: one per minimum-spend
   * period it trues up, none for other packages. Reading them for a page of assignments at once
   * keeps planning free of I/O.
   *
   * @param servicePackage the assignment's package
   * @param assignment the assignment
   * @param history what the journal holds of the assignment
   * @param date the run date
   * @return the spend figures the plan of this assignment on this date needs; empty for most packages
   * @throws IllegalArgumentException if the assignment does not belong to the package
   */
  public static Set<SpendQuery> spendQueries(ServicePackage servicePackage, Assignment assignment,
      ChargeHistory history, LocalDate date) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    if (!servicePackage.minimumSpend()) {
      planning(servicePackage, assignment, history, date, query -> null); // validates the arguments alike
      return Set.of();
    }
    Set<SpendQuery> queries = new LinkedHashSet<>();
    planning(servicePackage, assignment, history, date, query -> {
      queries.add(query);
      return Money.zero(query.currency());
    }).plan();
    return Collections.unmodifiableSet(queries);
  }

  private static AssignmentPlanning planning(ServicePackage servicePackage, Assignment assignment,
      ChargeHistory history, LocalDate date, Function<SpendQuery, Money> spend) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    Objects.requireNonNull(assignment, "assignment");
    Objects.requireNonNull(history, "history");
    Limits.date("date", date);
    if (!assignment.packageId().equals(servicePackage.id())) {
      throw new IllegalArgumentException("assignment '" + assignment.id() + "' belongs to package '"
          + assignment.packageId() + "', not '" + servicePackage.id() + "'");
    }
    return new AssignmentPlanning(servicePackage, assignment, history, spend, date);
  }

  private static Money answer(Map<SpendQuery, Money> spend, SpendQuery query) {
    Money spent = spend.get(query);
    if (spent == null) {
      throw new IllegalArgumentException(query + " is needed but was not read");
    }
    if (!spent.currency().equals(query.currency())) {
      throw new IllegalArgumentException(query + " must be in " + query.currency().getCurrencyCode() + ", was "
          + spent);
    }
    if (spent.isNegative()) {
      // A negative spend would true up more than the minimum itself.
      throw new IllegalArgumentException(query + " must be >= 0, was " + spent);
    }
    return spent;
  }

  /** The work of planning one assignment. Not thread-safe; one instance per call. */
  private static final class AssignmentPlanning {
    private final ServicePackage pkg;
    private final Assignment assignment;
    private final ChargeHistory history;
    private final Function<SpendQuery, Money> spend;
    private final LocalDate date;
    /** Decision points due on or after this date are examined. */
    private final LocalDate from;
    private final Map<LineKey, ChargeLine> charged = new HashMap<>();
    private final List<PlannedLine> lines = new ArrayList<>();
    /** Due lines emitted so far, against {@link #MAX_DUE_LINES}. */
    private int due;
    private LocalDate decidedThrough;

    private final LineSubject subject;
    /** The assignment's own prices; the package's where it has none. */
    private final OwnPrices prices;

    AssignmentPlanning(ServicePackage pkg, Assignment assignment, ChargeHistory history,
        Function<SpendQuery, Money> spend, LocalDate date) {
      this.pkg = pkg;
      this.assignment = assignment;
      this.history = history;
      this.spend = spend;
      this.date = date;
      this.subject = LineSubject.of(assignment);
      this.prices = assignment.ownPrices();
      this.decidedThrough = history.decidedThrough().orElse(null);
      this.from = examineFrom(history.decidedThrough(), assignment.repriceFrom());
      for (ChargeLine line : history.lines()) {
        if (!line.assignmentId().equals(assignment.id())) {
          throw new IllegalArgumentException("history of assignment '" + assignment.id() + "' holds line " + line.key());
        }
        charged.put(line.key(), line);
      }
    }

    /**
     * Decision points due on or after this date are examined: those after the watermark, and, while
     * an end-date change awaits repricing, those from the reprice marker on. The second part matters
     * when the watermark passed a date that the change turned into a new decision point: a
     * minimum-spend package ending on 31 March records its true-up on 1 April; extend the end and
     * 1 April opens a period whose grant must still be planned. Lines already charged there are in
     * the history (the journal's cutoff is this same {@link ChargeHistory#cutoff}) and are filtered
     * by key.
     */
    private static LocalDate examineFrom(Optional<LocalDate> watermark, Optional<LocalDate> repriceFrom) {
      return ChargeHistory.cutoff(watermark, repriceFrom).orElse(LocalDate.MIN);
    }

    /**
     * True when this plan re-examined everything the reprice marker asks for: the run date reaches
     * the watermark and every charged line, so no decision point or charged line at or after the
     * marker was left out. Only then may a charge run clear the marker.
     */
    private boolean repricingComplete() {
      if (assignment.repriceFrom().isEmpty()) {
        return true;
      }
      if (history.decidedThrough().isPresent() && date.isBefore(history.decidedThrough().get())) {
        return false;
      }
      return history.lines().stream().noneMatch(line -> line.dueDate().isAfter(date));
    }

    AssignmentPlan plan() {
      planSetup();
      AssignmentSchedule schedule = AssignmentSchedule.of(pkg, assignment);
      if (pkg.frequency() == Frequency.NONE) {
        planOneOffGrant();
      } else {
        planPeriods(schedule);
      }
      planAdjustments(schedule);
      planGrantAdjustments(schedule);
      for (ChargeLine line : history.lines()) {
        if (!line.dueDate().isAfter(date)) {
          lines.add(new PlannedLine(line, LineStatus.ALREADY_CHARGED));
        }
      }
      lines.sort(COMMIT_ORDER);
      return new AssignmentPlan(assignment, lines, history.decidedThrough(), Optional.ofNullable(decidedThrough),
          repricingComplete());
    }

    /** True when a decision point on {@code due} belongs to this plan; records it for the watermark. */
    private boolean decide(LocalDate due) {
      if (due.isBefore(from) || due.isAfter(date)) {
        return false;
      }
      if (decidedThrough == null || due.isAfter(decidedThrough)) {
        decidedThrough = due;
      }
      return true;
    }

    private void planSetup() {
      LocalDate start = assignment.startDate();
      // A plan change that keeps the package carries the customer over: the setup was paid once.
      boolean samePackageSuccessor = assignment.previous().filter(p -> p.packageId().equals(pkg.id())).isPresent();
      if (decide(start) && !samePackageSuccessor) {
        emitUnlessZero(ChargeLine.setup(subject, start, prices.setupRetail(pkg), prices.setupCost(pkg)));
      }
    }

    private void planOneOffGrant() {
      LocalDate start = assignment.startDate();
      if (pkg.grantsFreeMinutes() && decide(start)) {
        emitGrant(BillingPeriod.ofDay(start), Proration.WHOLE, assignment.endExclusive());
      }
    }

    private void planPeriods(AssignmentSchedule schedule) {
      // The period containing the day before `from` still owes its end-of-period true-up.
      LocalDate first = from.isAfter(assignment.startDate()) ? from.minusDays(1) : assignment.startDate();
      Optional<BilledPeriod> current = schedule.periodOnOrAfter(first);
      while (current.isPresent() && !current.get().period().start().isAfter(date)) {
        BilledPeriod billed = current.get();
        BillingPeriod period = billed.period();
        Optional<Proration> proration = schedule.proration(billed);
        if (pkg.minimumSpend()) {
          if (decide(period.endExclusive()) && proration.isPresent()) {
            planMinimumSpend(period, proration.get());
          }
        } else if (decide(period.start()) && proration.isPresent()) {
          emitUnlessZero(ChargeLine.recurring(subject, period, prices.retail(pkg), prices.cost(pkg), proration.get()));
        }
        if (pkg.grantsFreeMinutes() && decide(period.start()) && proration.isPresent()) {
          emitGrant(period, proration.get(), Optional.of(period.endExclusive()));
        }
        current = schedule.periodAfter(billed);
      }
    }

    private void planMinimumSpend(BillingPeriod period, Proration proration) {
      Money spent = spend.apply(new SpendQuery(assignment.customerId(), pkg.currency(), period));
      // One rounding: (retail x qty x days - spend x ofDays) / ofDays.
      Money retail = prices.retail(pkg);
      Money shortfall = retail.times(assignment.quantity()).times(proration.days())
          .minus(spent.times(proration.ofDays()))
          .dividedAndRounded(proration.ofDays());
      if (shortfall.signum() > 0) {
        emit(ChargeLine.minimumSpend(subject, period, retail, proration, shortfall));
      }
    }

    private void emitGrant(BillingPeriod period, Proration proration, Optional<LocalDate> validUntil) {
      long seconds = proration.applyToSeconds(allowanceSeconds());
      if (seconds > 0) {
        emit(ChargeLine.freeMinutes(subject, period, pkg.currency(), proration, seconds, validUntil));
      }
    }

    /**
     * Reprices every charged RECURRING line the history holds: at its charged unit price and
     * quantity, over the period the schedule now gives its start (none when the end date now lies
     * before it). A price change in the catalog therefore never adjusts what was charged; an end
     * date that moved does.
     */
    private void planAdjustments(AssignmentSchedule schedule) {
      Map<LineKey, List<ChargeLine>> adjustments = new HashMap<>();
      for (ChargeLine line : history.lines()) {
        if (line.kind() == LineKind.ADJUSTMENT) {
          adjustments.computeIfAbsent(line.key().adjusted(), k -> new ArrayList<>()).add(line);
        }
      }
      for (ChargeLine line : history.lines()) {
        if (line.kind() != LineKind.RECURRING || line.dueDate().isAfter(date)) {
          continue;
        }
        Money effectiveRetail = line.retail();
        Money effectiveCost = line.cost();
        int sequence = 0;
        for (ChargeLine adjustment : adjustments.getOrDefault(line.key(), List.of())) {
          effectiveRetail = effectiveRetail.plus(adjustment.retail());
          effectiveCost = effectiveCost.plus(adjustment.cost());
          sequence = Math.max(sequence, adjustment.key().sequence());
        }
        Optional<Proration> proration = schedule.periodStartingOn(line.period().start()).flatMap(schedule::proration);
        Money expectedRetail = proration.map(p -> p.apply(line.unitPrice(), line.quantity()))
            .orElse(Money.zero(line.retail().currency()));
        Money expectedCost = proration.map(p -> p.apply(line.unitCost(), line.quantity()))
            .orElse(Money.zero(line.cost().currency()));
        if (!expectedRetail.equals(effectiveRetail) || !expectedCost.equals(effectiveCost)) {
          // The next sequence number after every adjustment held, so the key is new by construction.
          lines.add(new PlannedLine(line.adjustment(sequence + 1, date, proration.orElse(line.proration()),
              expectedRetail.minus(effectiveRetail), expectedCost.minus(effectiveCost)), LineStatus.DUE));
        }
      }
    }

    /**
     * Grants follow money: revises every charged FREE_MINUTES grant the history holds to what its
     * period now grants. Under PRORATED a period an end date, a suspension or a plan change cut
     * grants its prorated seconds, valid until the cut; a period that no longer exists grants
     * nothing from its start; a later end restores. A one-off grant (frequency NONE) keeps its
     * seconds and is valid until the end. The store never sets a grant below its used seconds.
     */
    private void planGrantAdjustments(AssignmentSchedule schedule) {
      Map<LineKey, ChargeLine> latest = new HashMap<>();
      for (ChargeLine line : history.lines()) {
        if (line.kind() == LineKind.GRANT_ADJUSTMENT) {
          latest.merge(line.key().adjusted(), line, (a, b) -> a.key().sequence() > b.key().sequence() ? a : b);
        }
      }
      for (ChargeLine line : history.lines()) {
        if (line.kind() != LineKind.FREE_MINUTES || line.dueDate().isAfter(date)) {
          continue;
        }
        ChargeLine now = latest.getOrDefault(line.key(), line);
        Proration proration = Proration.WHOLE;
        long seconds = line.grantSeconds();
        Optional<LocalDate> validUntil = assignment.endExclusive();
        if (pkg.frequency() != Frequency.NONE) {
          Optional<BilledPeriod> billed = schedule.periodStartingOn(line.period().start());
          Optional<Proration> share = billed.flatMap(schedule::proration);
          proration = share.orElse(line.proration());
          seconds = share.map(p -> p.applyToSeconds(allowanceSeconds())).orElse(0L);
          validUntil = Optional.of(billed.isPresent() && share.isPresent() ? billed.get().period().endExclusive()
              : line.period().start());
        }
        if (seconds != now.grantSeconds() || !validUntil.equals(now.grantValidUntil())) {
          int sequence = now == line ? 1 : now.key().sequence() + 1;
          lines.add(new PlannedLine(ChargeLine.grantAdjustment(line.subject(), line.period(), pkg.currency(), sequence,
              date, proration, seconds, validUntil), LineStatus.DUE));
        }
      }
    }

    private long allowanceSeconds() {
      return 60L * assignment.minutes().orElseThrow(() -> new IllegalArgumentException(
          "minutes is required for free-minutes package '" + pkg.id() + "', was missing on assignment '"
              + assignment.id() + "'")) * assignment.quantity();
    }

    /**
     * Emits a money line unless both its rounded amounts are zero (a free package, or a sliver of a
     * period that rounds to nothing): domain.md emits no such line. Its decision is still taken; if
     * an end date later widens the period, the reprice marker makes the planner look at it again.
     */
    private void emitUnlessZero(ChargeLine line) {
      if (!(line.retail().isZero() && line.cost().isZero())) {
        emit(line);
      }
    }

    private void emit(ChargeLine line) {
      if (!charged.containsKey(line.key())) {
        if (++due > MAX_DUE_LINES) {
          // Refused before the lines pile up: memory per assignment stays bounded whatever the gap.
          throw new AllotmentException("assignment '" + assignment.id() + "' has more than " + MAX_DUE_LINES
              + " lines due by " + date + " (the first after " + MAX_DUE_LINES + " is due " + line.dueDate()
              + "): run for an earlier date first; each run catches up at most " + MAX_DUE_LINES + " lines of one"
              + " assignment");
        }
        lines.add(new PlannedLine(line, LineStatus.DUE));
      }
    }
  }
}
