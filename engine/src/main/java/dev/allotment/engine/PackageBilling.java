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
 * The facade a host calls: define packages, assign them, end assignments, and run packages for a
 * date, simulating or charging; and the free-minute ledger a switch calls for every call.
 *
 * <p>A run plans every line due on or before its date (missed dates are caught up) and a CHARGE
 * commits them batch by batch, each batch one {@link dev.allotment.spi.UnitOfWork} (lines and
 * watermarks, grants, credit postings and events, all or nothing). Every effect is keyed by its
 * line: a second CHARGE adds nothing, a crash leaves whole batches (the next run commits the rest),
 * and engines sharing stores never charge a line twice. A SIMULATE writes nothing and returns the
 * report the CHARGE would. {@code docs/commit-path.md} tells the design.
 *
 * <p>Build one with {@link #builder()} from a {@link BillingStores} bundle, or {@link #inMemory}.
 *
 * <p>Thread-safe: the engine holds no mutable state of its own; several engines (in one JVM or on
 * several hosts) may share stores. A run of more than one page reads the next page ahead on a
 * daemon thread of its own, which calls the stores too and ends with the run.
 */
public final class PackageBilling {
  private final BillingStores stores;
  private final BillingClock clock;
  private final CreditPolicy creditPolicy;
  private final int pageSize;
  private final int batchSize;
  private final boolean readAhead;
  private final int runHorizonYears;
  private final FreeMinuteLedger freeMinutes;
  private final PackageChanges packageChanges;
  private final AssignmentChanges assignments;
  private final EventFeed events;

  /** See {@link PackageBillingBuilder}, which checks every argument. */
  PackageBilling(BillingStores stores, BillingClock clock, CreditPolicy creditPolicy, int pageSize, int batchSize,
      boolean readAhead, int runHorizonYears, EventSettings eventSettings) {
    this.stores = stores;
    this.clock = clock;
    this.creditPolicy = creditPolicy;
    this.pageSize = pageSize;
    this.batchSize = batchSize;
    this.readAhead = readAhead;
    this.runHorizonYears = runHorizonYears;
    this.events = new EventFeed(stores.events(), eventSettings, clock);
    this.freeMinutes = FreeMinuteLedger.of(stores.freeMinutes(), stores.unitOfWork(), clock, events);
    this.packageChanges = new PackageChanges(stores.catalog());
    this.assignments = new AssignmentChanges(stores, pageSize, events);
  }

  /** The default of {@link PackageBillingBuilder#runHorizonYears}: how far past today a run may reach. */
  public static final int DEFAULT_RUN_HORIZON_YEARS = 10;
  /** The most days {@link #upcoming(String, LocalDate, int)} looks ahead: a year, leap day included. */
  public static final int MAX_UPCOMING_DAYS = 366;

  /** {@return a new builder} */
  public static PackageBillingBuilder builder() {
    return new PackageBillingBuilder();
  }

  /**
   * An engine on fresh {@link InMemoryStores}: the embedded default. Record customers' spend for
   * minimum-spend packages through {@code ((InMemoryStores) billing.stores()).spend()}.
   *
   * @param clock the billing clock
   * @return the engine
   */
  public static PackageBilling inMemory(BillingClock clock) {
    return builder().clock(clock).stores(new InMemoryStores()).build();
  }

  /**
   * Stores a package, or updates the one with its id. Prices, name, description, features,
   * minimum days, destination and rounding may change: new prices apply to lines not charged yet
   * (adjustments reprice at the price charged, so a price change never adjusts old lines).
   *
   * <p>The check and the store are atomic within this engine only (the catalog SPI has no
   * compare-and-set); hosts running several engines should define packages from one of them.
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
   * @return the package, or empty when the catalog has no package with this id
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
   * Defines every package of a {@link CatalogJson} document. The document is parsed and every
   * package checked against the held one before the first is stored, so a bad document stores
   * nothing.
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
   * @return the assignment, or empty when no assignment has this id
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
   * Removes an assignment's end date, so it runs on open-ended; periods the end date had cut or
   * removed are charged again (by ADJUSTMENT lines for those already credited, by the usual lines
   * for the rest) on the next run.
   *
   * @param assignmentId the assignment id
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   */
  public Assignment reinstate(String assignmentId) {
    return assignments.reinstate(assignmentId);
  }

  /**
   * Gives an assignment its own unit prices (a negotiated price), or with {@link OwnPrices#NONE}
   * the package's again, for every line planned from now on; lines already charged keep theirs.
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
   * The features of the customer's assignments active on {@code date} (start and end inclusive),
   * sorted.
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
   * <p>Runs may overlap with each other and with changes of assignments: writes are keyed, and each
   * batch checks that its assignments are still as planned (a changed one is planned again). Two
   * overlapping reports may both list a line as CHARGED; partitions ({@link RunRequest#inPartition})
   * share a run between hosts without that. An assignment that cannot be planned, or whose lines a
   * store refuses, is a {@link RunFailure}; the rest is charged.
   *
   * @param request the run: date, mode and scope
   * @return the report: every line examined, with its status, the totals and the failures
   * @throws UnknownPackageException if an assignment in scope names a package the catalog lacks
   * @throws IllegalArgumentException if the date is not a billing date or lies past the run horizon
   */
  public RunReport run(RunRequest request) {
    RunLimits.check(request, clock.today(), runHorizonYears);
    List<PlannedLine> lines = new ArrayList<>();
    RunSummary summary = new RunExecution(this, request, lines::add).execute();
    return new RunReport(summary, lines);
  }

  /**
   * Runs packages and streams the lines to {@code sink} instead of keeping them: memory stays at
   * two pages of assignments (the one being committed and the next, read ahead) however large the
   * run. The sink sees each page's lines, with their final status, after the page is committed, in
   * report order, on the calling thread.
   *
   * @param request the run: date, mode and scope
   * @param sink receives every line, with its final status
   * @return the counts and totals of the run
   */
  public RunSummary run(RunRequest request, Consumer<PlannedLine> sink) {
    RunLimits.check(request, clock.today(), runHorizonYears);
    Objects.requireNonNull(sink, "sink");
    return new RunExecution(this, request, sink).execute();
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
   *
   * @param mode SIMULATE or CHARGE
   * @return the report
   */
  public RunReport run(RunMode mode) {
    return run(clock.today(), mode);
  }

  /**
   * The customer's lines falling due in [{@code from}, {@code from + days}): a simulation up to
   * the last of those days, keeping the lines due on or after {@code from} (including any the
   * credit policy would skip). Minimum-spend lines there are estimates from the spend recorded so
   * far; adjustments pending from an end-date change show as due on the last day (they are due at
   * the next run). Writes nothing.
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
   * Consumes a call against the customer's free minutes: see {@link FreeMinuteLedger#consume}.
   * Idempotent by usage id.
   *
   * @param usage the call
   * @return the consumption (the first one recorded, for a replay)
   * @throws UsageConflictException when the usage id is held for a different call; nothing changes
   */
  public Consumption consume(UsageRecord usage) {
    return freeMinutes.consume(usage);
  }

  /**
   * The consumption recorded for a usage id, if any.
   *
   * @param usageId the usage id
   * @return the consumption, or empty when the id is not held
   */
  public Optional<Consumption> consumption(String usageId) {
    return freeMinutes.consumption(usageId);
  }

  /**
   * Refunds a call now: see {@link FreeMinuteLedger#refund}.
   *
   * @param usageId the usage id
   * @return what was given back, or empty when the usage id is not held
   */
  public Optional<Refund> refund(String usageId) {
    return freeMinutes.refund(usageId);
  }

  /**
   * How many free seconds a call of the customer (on {@code did}, to {@code number}) starting at
   * {@code at} could use; a switch caps the call's length with it. See
   * {@link FreeMinuteLedger#available}.
   *
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
   *
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

  /** {@return the credit policy of runs} */
  public CreditPolicy creditPolicy() {
    return creditPolicy;
  }

  /** {@return how many assignments a run reads at a time} */
  public int pageSize() {
    return pageSize;
  }

  /** {@return about how many lines a CHARGE commits in one unit of work} */
  public int batchSize() {
    return batchSize;
  }

  /** {@return how many years past the clock's today a run may reach} */
  public int runHorizonYears() {
    return runHorizonYears;
  }

  /** {@return whether a run reads its next page on a thread of its own while it commits the current one} */
  public boolean readAhead() {
    return readAhead;
  }
}
