package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.OwnPrices;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Refund;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.InMemoryStores;
import dev.allotment.spi.KeyConflictException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;

/**
 * The facade a host calls: define packages; assign, change, suspend and end assignments; run packages for a date,
 * simulating or charging; and the free-minute ledger a switch calls.
 *
 * <p>A run plans every line due on or before its date (missed dates are caught up) and a CHARGE commits them batch
 * by batch, each batch one {@link dev.allotment.spi.UnitOfWork} (lines and watermarks, grants, credit postings and
 * events, all or nothing). Every effect is keyed by its line: a second CHARGE adds nothing, a crash leaves whole
 * batches (the next run commits the rest), and engines sharing stores never charge a line twice. A SIMULATE writes
 * nothing and returns the report the CHARGE would. {@code docs/commit-path.md} tells the design.
 *
 * <p>Build one with {@link #builder()} from a {@link BillingStores} bundle, or {@link #inMemory}.
 *
 * <p>Thread-safe: the engine holds no mutable state of its own; several engines (in one JVM or on several hosts) may
 * share stores. A run of more than one page reads the next page ahead on a daemon thread of its own, and a CHARGE
 * commits two batches at once on daemon threads of their own ({@link PackageBillingBuilder#commitsInFlight}); these
 * call the stores too and end with the run.
 */
public final class PackageBilling {
  /** The most days {@link #upcoming(String, LocalDate, int)} looks ahead: a year, leap day included. */
  public static final int MAX_UPCOMING_DAYS = 366;

  private final BillingStores stores;
  private final BillingClock clock;
  private final RunSettings settings;
  private final FreeMinuteLedger freeMinutes;
  private final PackageChanges packageChanges;
  private final AssignmentChanges assignments;
  private final PlanChanges planChanges;
  private final EventFeed events;

  /** See {@link PackageBillingBuilder}, which checks every argument. */
  PackageBilling(BillingStores stores, BillingClock clock, RunSettings settings, EventSettings eventSettings) {
    this.stores = stores;
    this.clock = clock;
    this.settings = settings;
    this.events = new EventFeed(stores.events(), eventSettings, clock);
    this.freeMinutes = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), clock, events);
    this.packageChanges = new PackageChanges(stores.catalog());
    this.assignments = new AssignmentChanges(stores, settings.pageSize(), events);
    this.planChanges = new PlanChanges(stores, assignments, events);
  }

  /** {@return a new builder} */
  public static PackageBillingBuilder builder() {
    return new PackageBillingBuilder();
  }

  /**
   * An engine on fresh {@link InMemoryStores}, the embedded default (spend goes in through its {@code spend()}).
   *
   * @param clock the billing clock
   * @return the engine
   */
  public static PackageBilling inMemory(BillingClock clock) {
    return builder().clock(clock).stores(new InMemoryStores()).build();
  }

  /**
   * Stores a package, or updates the one with its id (prices, name, description, features, minimum
   * days, destination, rounding); new prices apply to lines not charged yet, never to charged ones.
   *
   * <p>Check and store are atomic within this engine only (the catalog has no compare-and-set):
   * hosts running several engines define packages from one.
   *
   * @param servicePackage the package
   * @throws PackageChangeException if the package exists and the update changes its currency,
   *     frequency, frequency match, month end, first period, minimum spend or types, which would
   *     reinterpret lines already charged; define a new package instead
   */
  public void define(ServicePackage servicePackage) {
    packageChanges.define(servicePackage);
  }

  /**
   * The package with this id.
   *
   * @param packageId the package id
   * @return the package, or empty when the catalog has none
   */
  public Optional<ServicePackage> findPackage(String packageId) {
    return stores.catalog().find(Objects.requireNonNull(packageId, "packageId"));
  }

  /** {@return every package, in id order} */
  public List<ServicePackage> packages() {
    return stores.catalog().all();
  }

  /** {@return the whole catalog as JSON, see {@link CatalogJson}} */
  public String exportCatalog() {
    return CatalogJson.write(stores.catalog().all());
  }

  /**
   * Defines every package of a {@link CatalogJson} document, all checked before the first is stored.
   *
   * @param json a {@link CatalogJson} document
   * @return the packages defined, in document order
   * @throws IllegalArgumentException naming the field and value when the JSON is not a valid catalog
   * @throws PackageChangeException as {@link #define} does
   */
  public List<ServicePackage> importCatalog(String json) {
    return packageChanges.importAll(CatalogJson.parse(json));
  }

  /**
   * Assigns a package. Idempotent: the same assignment again returns false and changes nothing.
   *
   * @param assignment the assignment
   * @return true if stored, false if it was held already with the same terms
   * @throws UnknownPackageException if the catalog does not hold its package
   * @throws IllegalArgumentException if its minutes do not fit the package (see
   *     {@link Assignment#checkAgainst})
   * @throws MinimumDaysException if its end date lies before start + minimum days
   * @throws KeyConflictException if its id is held with other terms
   */
  public boolean assign(Assignment assignment) {
    return assignments.assign(assignment);
  }

  /**
   * The assignment with this id, as stored.
   *
   * @param assignmentId the assignment id
   * @return the assignment, or empty when none has this id
   */
  public Optional<Assignment> findAssignment(String assignmentId) {
    return stores.assignments().find(Objects.requireNonNull(assignmentId, "assignmentId"));
  }

  /**
   * Ends an assignment on {@code endDate} (inclusive), or moves its end date. Periods already
   * charged that the new end cuts or removes are credited by ADJUSTMENT lines on the next run
   * (under {@code PRORATED}); auto-decrement assignments get the credit back.
   *
   * @param assignmentId the assignment id
   * @param endDate the new last billed day
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   * @throws MinimumDaysException naming the first allowed end date when {@code endDate} lies before
   *     start + the package's minimum days; nothing is changed
   */
  public Assignment unassign(String assignmentId, LocalDate endDate) {
    return assignments.unassign(assignmentId, endDate);
  }

  /**
   * Removes an assignment's end date; the next run charges again what the end date had cut or
   * removed (ADJUSTMENT lines for what was credited, the usual lines for the rest).
   *
   * @param assignmentId the assignment id
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   */
  public Assignment reinstate(String assignmentId) {
    return assignments.reinstate(assignmentId);
  }

  /**
   * A plan change ({@link PlanChange}): the assignment ends the day before the effective date and a
   * successor ({@link dev.allotment.core.Successor#id}) starts on it; the user guide's rules tell the rest.
   *
   * @param assignmentId the assignment id
   * @param change the change
   * @return the successor as stored (the one stored before, when the same change is asked again)
   * @throws UnknownAssignmentException if no assignment has this id
   * @throws UnknownPackageException if the new package is not in the catalog
   * @throws MinimumDaysException if the assignment may not end the day before the effective date
   * @throws IllegalArgumentException naming the field and value when the change changes nothing, changes
   *     the currency, or is effective outside the assignment or in a suspension; nothing is stored
   */
  public Assignment change(String assignmentId, PlanChange change) {
    return planChanges.change(assignmentId, change);
  }

  /**
   * Suspends an assignment from {@code from} until resumed: those days are neither billed nor
   * granted, and the period holding {@code from} is cut there like an end date.
   *
   * @param assignmentId the assignment id
   * @param from the first suspended day (asked again for the same day: changes nothing)
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   * @throws IllegalArgumentException naming the field and value when the assignment is suspended,
   *     from lies outside it or not after its last resume, or its package is one-off
   */
  public Assignment suspend(String assignmentId, LocalDate from) {
    return assignments.suspend(assignmentId, from);
  }

  /**
   * Resumes a suspended assignment on {@code on}, billing [on, next occurrence) like a first period, never free.
   *
   * @param assignmentId the assignment id
   * @param on the first day billed again (asked again for the same day: changes nothing)
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   * @throws IllegalArgumentException naming the field and value when it is not suspended or on is not after from
   */
  public Assignment resume(String assignmentId, LocalDate on) {
    return assignments.resume(assignmentId, on);
  }

  /**
   * Gives an assignment its own unit prices ({@link OwnPrices#NONE}: the package's) for every line
   * planned from now on; lines already charged keep theirs.
   *
   * @param assignmentId the assignment id
   * @param prices the own prices
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   */
  public Assignment setOwnPrices(String assignmentId, OwnPrices prices) {
    return assignments.setOwnPrices(assignmentId, prices);
  }

  /**
   * The features of the customer's assignments active on {@code date} (not suspended), sorted.
   *
   * @param customerId the customer
   * @param date the billing date
   * @return an unmodifiable sorted set, empty when none
   */
  public SortedSet<String> entitlements(String customerId, LocalDate date) {
    return assignments.entitlements(customerId, date);
  }

  /**
   * {@link #entitlements(String, LocalDate)} for today's billing date.
   *
   * @param customerId the customer
   * @return the features active today, an unmodifiable sorted set
   */
  public SortedSet<String> entitlements(String customerId) {
    return entitlements(customerId, clock.today());
  }

  /**
   * Runs packages: plans every line due on or before the request's date for the assignments in
   * scope and, for {@link RunMode#CHARGE}, commits them. The report holds every line; for very
   * large runs use {@link #run(RunRequest, Consumer)}, which keeps memory flat.
   *
   * <p>Runs may overlap with each other and with changes of assignments (keyed writes, version checks);
   * two overlapping reports may both list a line as CHARGED, which partitions and {@link #runFleet} avoid.
   * An assignment that cannot be planned, or whose lines a store refuses, is a {@link RunFailure}.
   *
   * @param request the run: date, mode and scope
   * @return the report: every line examined, with its status, the totals and the failures
   * @throws UnknownPackageException if an assignment in scope names a package the catalog lacks
   * @throws IllegalArgumentException if the date is not a billing date or lies past the run horizon
   */
  public RunReport run(RunRequest request) {
    List<PlannedLine> lines = new ArrayList<>();
    return new RunReport(run(request, lines::add), lines);
  }

  /**
   * Runs packages and streams the lines to {@code sink}: memory stays at two pages of assignments
   * however large the run. The sink sees each page's lines, with their final status, once the page
   * is committed, in report order, on the calling thread.
   *
   * @param request the run: date, mode and scope
   * @param sink receives every line, with its final status
   * @return the counts and totals of the run
   */
  public RunSummary run(RunRequest request, Consumer<PlannedLine> sink) {
    RunLimits.check(request, clock.today(), settings.runHorizonYears());
    Objects.requireNonNull(sink, "sink");
    return new RunExecution(this, request, sink).execute();
  }

  /**
   * Charges this engine's share of a {@link FleetRun}: the partitions it can lease, until none is left to claim.
   *
   * @param run the fleet run
   * @return whether the whole run is done, and what this engine charged (refused without {@link BillingStores#runLeases})
   */
  public FleetSummary runFleet(FleetRun run) {
    return new FleetExecution(this, Objects.requireNonNull(run, "run")).execute();
  }

  /**
   * Runs every customer's packages for {@code date}.
   *
   * @param date the run date
   * @param mode SIMULATE or CHARGE
   * @return the report
   */
  public RunReport run(LocalDate date, RunMode mode) {
    return run(RunRequest.of(date, mode));
  }

  /**
   * Runs one customer's packages for {@code date}.
   *
   * @param date the run date
   * @param mode SIMULATE or CHARGE
   * @param customerId the customer
   * @return the report
   */
  public RunReport run(LocalDate date, RunMode mode, String customerId) {
    return run(RunRequest.of(date, mode).forCustomer(customerId));
  }

  /**
   * Runs every customer's packages for today's billing date.
   * @param mode SIMULATE or CHARGE
   * @return the report
   */
  public RunReport run(RunMode mode) {
    return run(clock.today(), mode);
  }

  /**
   * The customer's lines falling due in [{@code from}, {@code from + days}), simulated (writes
   * nothing; includes lines the credit policy would skip; minimum spend estimated from the spend so
   * far; pending adjustments show as due on the last day, as they are due at the next run).
   *
   * @param customerId the customer
   * @param from the first day
   * @param days 1..{@value #MAX_UPCOMING_DAYS}
   * @return the lines, in report order
   * @throws IllegalArgumentException when days is outside 1..{@value #MAX_UPCOMING_DAYS} or past the run horizon
   */
  public List<ChargeLine> upcoming(String customerId, LocalDate from, int days) {
    return UpcomingLines.simulated(this, RunLimits.upcoming(customerId, from, days), from);
  }

  /**
   * {@link #upcoming(String, LocalDate, int)} from today's billing date.
   *
   * @param customerId the customer
   * @param days how many days, 1..{@value #MAX_UPCOMING_DAYS}
   * @return the lines, in report order
   */
  public List<ChargeLine> upcoming(String customerId, int days) {
    return upcoming(customerId, clock.today(), days);
  }

  /**
   * Consumes a call against the customer's free minutes, idempotent by usage id: {@link FreeMinuteLedger#consume}.
   * @param usage the call
   * @return the consumption (the first one recorded, for a replay)
   * @throws UsageConflictException when the usage id is held for a different call; nothing changes
   */
  public Consumption consume(UsageRecord usage) {
    return freeMinutes.consume(usage);
  }

  /**
   * The consumption recorded for a usage id, if any.
   * @param usageId the usage id
   * @return the consumption, or empty when the id is not held
   */
  public Optional<Consumption> consumption(String usageId) {
    return freeMinutes.consumption(usageId);
  }

  /**
   * Refunds a call now: see {@link FreeMinuteLedger#refund}.
   * @param usageId the usage id
   * @return what was given back, or empty when the usage id is not held
   */
  public Optional<Refund> refund(String usageId) {
    return freeMinutes.refund(usageId);
  }

  /**
   * The free seconds a call starting at {@code at} could use, to cap its length: {@link FreeMinuteLedger#available}.
   * @param customerId the customer calling
   * @param did the DID called from, for DID-bound grants
   * @param number the dialed number
   * @param at the call's start
   * @return the seconds available
   */
  public long available(String customerId, Optional<String> did, String number, Instant at) {
    return freeMinutes.available(customerId, did, number, at);
  }

  /**
   * The customer's grants valid at {@code at} with used and allocated seconds.
   * @param customerId the customer
   * @param at the instant
   * @return the grants valid then, with their seconds
   */
  public List<GrantBalance> balances(String customerId, Instant at) {
    return freeMinutes.balances(customerId, at);
  }

  /** {@return the free-minute ledger itself, for hosts that add grants of their own} */
  public FreeMinuteLedger freeMinutes() {
    return freeMinutes;
  }

  /**
   * Every line charged for an assignment, in key order: its statement.
   *
   * @param assignmentId the assignment id
   * @return the lines, empty when none (or no such assignment)
   */
  public List<ChargeLine> charged(String assignmentId) {
    return stores.journal().lines(Objects.requireNonNull(assignmentId, "assignmentId"));
  }

  /** {@return the events of this engine's stores: read them after a cursor, delete old ones, listen} */
  public EventFeed events() {
    return events;
  }

  /** {@return the stores this engine runs on} */
  public BillingStores stores() {
    return stores;
  }

  /** {@return the billing clock} */
  public BillingClock clock() {
    return clock;
  }

  /** {@return how this engine runs packages (see {@link RunSettings})} */
  public RunSettings runSettings() {
    return settings;
  }
}
