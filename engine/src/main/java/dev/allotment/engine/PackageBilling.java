package dev.allotment.engine;

import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.Consumption;
import dev.allotment.core.Grant;
import dev.allotment.core.GrantBalance;
import dev.allotment.core.LineStatus;
import dev.allotment.core.MinimumDaysException;
import dev.allotment.core.PlannedLine;
import dev.allotment.core.Refund;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.UsageConflictException;
import dev.allotment.core.UsageRecord;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.ChargeJournal;
import dev.allotment.spi.CreditLedger;
import dev.allotment.spi.FreeMinuteStore;
import dev.allotment.spi.InMemoryAssignmentStore;
import dev.allotment.spi.InMemoryChargeJournal;
import dev.allotment.spi.InMemoryCreditLedger;
import dev.allotment.spi.InMemoryFreeMinuteStore;
import dev.allotment.spi.InMemoryPackageCatalog;
import dev.allotment.spi.InMemorySpendSource;
import dev.allotment.spi.KeyConflictException;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.SpendSource;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The facade a host calls: define packages, assign them, end assignments, and run packages for a
 * date, simulating or charging.
 *
 * <p>Free minutes: a CHARGE turns every FREE_MINUTES line into a grant of the
 * {@link FreeMinuteLedger} (before journaling the line), and the host's switch reports calls
 * through {@link #consume}, {@link #refund}, {@link #available} and {@link #balances}.
 *
 * <p>A run is a pure plan plus a commit: it loads a snapshot through the SPI, asks the core
 * planner for every line due on or before the date (so missed dates are caught up), and a CHARGE
 * commits exactly those lines. Every line has an idempotency key; a line's grant and credit
 * postings are written under that key after the line is recorded as pending and before its
 * journal entry, so a second CHARGE adds nothing, a crash anywhere is repaired by the next run
 * (which finishes the pending lines it still plans and undoes the others), and two engines on the
 * same stores never charge a line twice. A SIMULATE writes nothing and returns the report the
 * CHARGE would.
 *
 * <p>Build one with {@link #builder()} (any store not given is in memory) or
 * {@link #inMemory(BillingClock)}.
 *
 * <p>Thread-safe: the engine holds no mutable state of its own; runs, assigns and unassigns may
 * be called from any thread, and several engines (in one JVM or several hosts) may share stores.
 * A run of more than one page reads the next page's assignments and histories ahead, on a daemon
 * thread of its own, while it commits the current page: stores are called from that thread too
 * (the SPI requires them to be thread-safe), and the thread ends with the run.
 */
public final class PackageBilling {
  private final PackageCatalog catalog;
  private final AssignmentStore assignments;
  private final ChargeJournal journal;
  private final CreditLedger creditLedger;
  private final SpendSource spendSource;
  private final FreeMinuteLedger freeMinutes;
  private final FreeMinuteStore freeMinuteStore;
  private final BillingClock clock;
  private final CreditPolicy creditPolicy;
  private final int pageSize;
  private final int batchSize;
  private final boolean readAhead;
  private final GrantWriter grantWriter;
  /** Serialises this engine's check-then-store in {@link #define}. */
  private final Object defineLock = new Object();

  private PackageBilling(Builder b) {
    this.catalog = b.catalog != null ? b.catalog : new InMemoryPackageCatalog();
    this.assignments = b.assignments != null ? b.assignments : new InMemoryAssignmentStore();
    this.journal = b.journal != null ? b.journal : new InMemoryChargeJournal();
    this.creditLedger = b.creditLedger != null ? b.creditLedger : new InMemoryCreditLedger();
    this.spendSource = b.spendSource != null ? b.spendSource : new InMemorySpendSource();
    this.clock = b.clock;
    this.freeMinuteStore = b.freeMinuteStore != null ? b.freeMinuteStore : new InMemoryFreeMinuteStore();
    this.freeMinutes = FreeMinuteLedger.of(freeMinuteStore, b.clock);
    this.creditPolicy = b.creditPolicy != null ? b.creditPolicy : CreditPolicy.ALLOW_NEGATIVE;
    this.pageSize = b.pageSize != null ? b.pageSize : 1000;
    this.batchSize = b.batchSize != null ? b.batchSize : 500;
    this.readAhead = b.readAhead == null || b.readAhead;
    this.grantWriter = b.grantWriter != null ? b.grantWriter : new LedgerGrants();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * An engine on fresh in-memory stores: the embedded default. Its spend source is an empty
   * {@link InMemorySpendSource} (reachable through {@link #spendSource()}) for minimum-spend packages.
   */
  public static PackageBilling inMemory(BillingClock clock) {
    return builder().clock(clock).build();
  }

  // ---------------------------------------------------------------- catalog

  /**
   * Stores a package, or updates the one with its id. Prices, name, description, features,
   * minimum days, destination and rounding may change: new prices apply to lines not charged yet
   * (adjustments reprice at the price charged, so a price change never adjusts old lines).
   *
   * <p>The check and the store are atomic within this engine only (the catalog SPI has no
   * compare-and-set); hosts running several engines should define packages from one of them.
   *
   * @throws PackageChangeException if the package exists and the update changes its currency,
   *     frequency, frequency match, month end, first period, minimum spend or types, which would
   *     reinterpret lines already charged; define a new package instead
   */
  public void define(ServicePackage servicePackage) {
    Objects.requireNonNull(servicePackage, "servicePackage");
    synchronized (defineLock) {
      catalog.find(servicePackage.id()).ifPresent(held -> checkCompatible(held, servicePackage));
      catalog.define(servicePackage);
    }
  }

  private static void checkCompatible(ServicePackage held, ServicePackage updated) {
    List<String> changed = new ArrayList<>();
    compare(changed, "currency", held.currency().getCurrencyCode(), updated.currency().getCurrencyCode());
    compare(changed, "frequency", held.frequency(), updated.frequency());
    compare(changed, "frequencyMatch", "'" + held.frequencyMatch() + "'", "'" + updated.frequencyMatch() + "'");
    compare(changed, "monthEnd", held.monthEnd(), updated.monthEnd());
    compare(changed, "firstPeriod", held.firstPeriod(), updated.firstPeriod());
    compare(changed, "minimumSpend", held.minimumSpend(), updated.minimumSpend());
    compare(changed, "types", held.types(), updated.types());
    if (!changed.isEmpty()) {
      throw new PackageChangeException("package '" + held.id() + "' cannot change " + String.join(", ", changed)
          + ": lines already charged would be reinterpreted; define a new package instead");
    }
  }

  private static void compare(List<String> changed, String field, Object held, Object updated) {
    if (!held.equals(updated)) {
      changed.add(field + " (" + held + " -> " + updated + ")");
    }
  }

  /** The package with this id. */
  public Optional<ServicePackage> findPackage(String packageId) {
    return catalog.find(Objects.requireNonNull(packageId, "packageId"));
  }

  /** Every package, in id order. */
  public List<ServicePackage> packages() {
    return catalog.all();
  }

  /** The whole catalog as JSON, see {@link CatalogJson}. */
  public String exportCatalog() {
    return CatalogJson.write(catalog.all());
  }

  /**
   * Defines every package of a {@link CatalogJson} document. The document is parsed and every
   * package checked against the held one before the first is stored, so a bad document stores
   * nothing.
   *
   * @return the packages defined, in document order
   * @throws IllegalArgumentException naming the field and value when the JSON is not a valid catalog
   * @throws PackageChangeException as {@link #define} does
   */
  public List<ServicePackage> importCatalog(String json) {
    List<ServicePackage> parsed = CatalogJson.parse(json);
    synchronized (defineLock) {
      for (ServicePackage servicePackage : parsed) {
        catalog.find(servicePackage.id()).ifPresent(held -> checkCompatible(held, servicePackage));
      }
      // Every package passed the check under the lock (and a document names an id once), so
      // defining them cannot fail on it: store them without reading each one again.
      parsed.forEach(catalog::define);
    }
    return parsed;
  }

  // ---------------------------------------------------------------- assignments

  /**
   * Assigns a package. Idempotent: the same assignment again returns false and changes nothing.
   *
   * @return true if stored, false if it was held already with the same terms
   * @throws UnknownPackageException if the catalog does not hold its package
   * @throws IllegalArgumentException if its minutes do not fit the package (see
   *     {@link Assignment#checkAgainst})
   * @throws MinimumDaysException if its end date lies before start + minimum days
   * @throws KeyConflictException if its id is held with other terms
   */
  public boolean assign(Assignment assignment) {
    Objects.requireNonNull(assignment, "assignment");
    assignment.checkAgainst(requirePackage(assignment.packageId(), assignment.id()));
    return assignments.add(assignment);
  }

  /** The assignment with this id, as stored. */
  public Optional<Assignment> findAssignment(String assignmentId) {
    return assignments.find(Objects.requireNonNull(assignmentId, "assignmentId"));
  }

  /**
   * Ends an assignment on {@code endDate} (inclusive), or moves its end date. Periods already
   * charged that the new end cuts or removes are credited by ADJUSTMENT lines on the next run
   * (under {@code PRORATED}); auto-decrement assignments get the credit back.
   *
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   * @throws MinimumDaysException naming the first allowed end date when {@code endDate} lies before
   *     start + the package's minimum days; nothing is changed
   */
  public Assignment unassign(String assignmentId, LocalDate endDate) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    Objects.requireNonNull(endDate, "endDate");
    while (true) {
      Assignment current = requireAssignment(assignmentId);
      ServicePackage servicePackage = requirePackage(current.packageId(), assignmentId);
      LocalDate firstAllowed = current.firstAllowedEndDate(servicePackage);
      if (endDate.isBefore(firstAllowed)) {
        throw new MinimumDaysException(assignmentId, endDate, firstAllowed);
      }
      Assignment updated = current.withEndDate(endDate, servicePackage);
      if (updated.equals(current) || assignments.replace(current, updated)) {
        return updated;
      }
      // Lost a race with another change of the same assignment: decide again on what is stored now.
    }
  }

  /**
   * Removes an assignment's end date, so it runs on open-ended; periods the end date had cut or
   * removed are charged again (by ADJUSTMENT lines for those already credited, by the usual lines
   * for the rest) on the next run.
   *
   * @return the assignment as now stored
   * @throws UnknownAssignmentException if no assignment has this id
   */
  public Assignment reinstate(String assignmentId) {
    Objects.requireNonNull(assignmentId, "assignmentId");
    while (true) {
      Assignment current = requireAssignment(assignmentId);
      Assignment updated = current.withoutEndDate(requirePackage(current.packageId(), assignmentId));
      if (updated.equals(current) || assignments.replace(current, updated)) {
        return updated;
      }
    }
  }

  /**
   * The features of the customer's assignments active on {@code date} (start and end inclusive),
   * sorted.
   *
   * @return an unmodifiable sorted set, empty when none
   */
  public SortedSet<String> entitlements(String customerId, LocalDate date) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(date, "date");
    SortedSet<String> features = new TreeSet<>();
    Map<String, ServicePackage> packages = new HashMap<>();
    Optional<String> after = Optional.empty();
    while (true) {
      List<Assignment> page = assignments.page(Optional.of(customerId), after, pageSize);
      for (Assignment assignment : page) {
        if (assignment.isActiveOn(date)) {
          features.addAll(packages.computeIfAbsent(assignment.packageId(),
              id -> requirePackage(id, assignment.id())).features());
        }
      }
      if (page.size() < pageSize) {
        return Collections.unmodifiableSortedSet(features);
      }
      after = Optional.of(page.get(page.size() - 1).id());
    }
  }

  /** {@link #entitlements(String, LocalDate)} for today's billing date. */
  public SortedSet<String> entitlements(String customerId) {
    return entitlements(customerId, clock.today());
  }

  // ---------------------------------------------------------------- runs

  /**
   * Runs packages: plans every line due on or before the request's date for the assignments in
   * scope and, for {@link RunMode#CHARGE}, commits them. The report holds every line; for very
   * large runs use {@link #run(RunRequest, Consumer)}, which keeps memory flat.
   *
   * <p>Runs may overlap freely: every write is keyed, so two engines charging the same scope at
   * the same moment journal and post each line once. Their reports may then both list a line
   * they committed at the same instant as CHARGED; to share one run between hosts without that
   * overlap, give each a partition ({@link RunRequest#inPartition}).
   *
   * @throws UnknownPackageException if an assignment in scope names a package the catalog lacks
   */
  public RunReport run(RunRequest request) {
    Objects.requireNonNull(request, "request");
    List<PlannedLine> lines = new ArrayList<>();
    RunSummary summary = new RunExecution(this, request, lines::add).execute();
    return new RunReport(summary, lines);
  }

  /**
   * Runs packages and streams the lines to {@code sink} instead of keeping them: memory stays at
   * two pages of assignments (the one being committed and the next, read ahead) however large the
   * run. The sink sees each page's lines, with their final status, after the page is committed, in
   * report order, on the calling thread.
   */
  public RunSummary run(RunRequest request, Consumer<PlannedLine> sink) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(sink, "sink");
    return new RunExecution(this, request, sink).execute();
  }

  /** Runs every customer's packages for {@code date}. */
  public RunReport run(LocalDate date, RunMode mode) {
    return run(RunRequest.of(date, mode));
  }

  /** Runs one customer's packages for {@code date}. */
  public RunReport run(LocalDate date, RunMode mode, String customerId) {
    return run(RunRequest.of(date, mode).forCustomer(customerId));
  }

  /** Runs every customer's packages for today's billing date. */
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
   * @param days at least 1
   */
  public List<ChargeLine> upcoming(String customerId, LocalDate from, int days) {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(from, "from");
    if (days < 1) {
      throw new IllegalArgumentException("days must be >= 1, was " + days);
    }
    List<ChargeLine> upcoming = new ArrayList<>();
    run(RunRequest.of(from.plusDays(days - 1L), RunMode.SIMULATE).forCustomer(customerId), line -> {
      if (line.status() != LineStatus.ALREADY_CHARGED && !line.line().dueDate().isBefore(from)) {
        upcoming.add(line.line());
      }
    });
    return List.copyOf(upcoming);
  }

  /** {@link #upcoming(String, LocalDate, int)} from today's billing date. */
  public List<ChargeLine> upcoming(String customerId, int days) {
    return upcoming(customerId, clock.today(), days);
  }

  // ---------------------------------------------------------------- free minutes

  /**
   * Consumes a call against the customer's free minutes: see {@link FreeMinuteLedger#consume}.
   * Idempotent by usage id.
   *
   * @throws UsageConflictException when the usage id is held for a different call; nothing changes
   */
  public Consumption consume(UsageRecord usage) {
    return freeMinutes.consume(usage);
  }

  /** The consumption recorded for a usage id, if any. */
  public Optional<Consumption> consumption(String usageId) {
    return freeMinutes.consumption(usageId);
  }

  /**
   * Refunds a call now: see {@link FreeMinuteLedger#refund}.
   *
   * @return what was given back, or empty when the usage id is not held
   */
  public Optional<Refund> refund(String usageId) {
    return freeMinutes.refund(usageId);
  }

  /**
   * How many free seconds a call of the customer (on {@code did}, to {@code number}) starting at
   * {@code at} could use; a switch caps the call's length with it. See
   * {@link FreeMinuteLedger#available}.
   */
  public long available(String customerId, Optional<String> did, String number, Instant at) {
    return freeMinutes.available(customerId, did, number, at);
  }

  /** The customer's grants valid at {@code at} with used and allocated seconds. */
  public List<GrantBalance> balances(String customerId, Instant at) {
    return freeMinutes.balances(customerId, at);
  }

  /** The free-minute ledger itself, for hosts that add grants of their own. */
  public FreeMinuteLedger freeMinutes() {
    return freeMinutes;
  }

  /**
   * The default {@link GrantWriter}: the grants of a batch's FREE_MINUTES lines, their validity in
   * the billing zone, added in one call where absent (the grant id is the line key; a grant an
   * unfinished attempt left keeps its terms), and revoked for lines an unfinished attempt granted
   * but no plan holds any more. Packages are looked up once per batch.
   */
  private final class LedgerGrants implements GrantWriter {
    @Override
    public void write(List<ChargeLine> freeMinuteLines) {
      Map<String, ServicePackage> packages = new HashMap<>();
      List<Grant> grants = new ArrayList<>(freeMinuteLines.size());
      for (ChargeLine line : freeMinuteLines) {
        ServicePackage servicePackage = packages.computeIfAbsent(line.packageId(),
            id -> requirePackage(id, line.assignmentId()));
        grants.add(Grant.of(line, servicePackage, clock.zone()));
      }
      freeMinuteStore.addGrantsIfAbsent(grants);
    }

    @Override
    public void revoke(List<ChargeLine> freeMinuteLines) {
      for (ChargeLine line : freeMinuteLines) {
        freeMinuteStore.revokeGrant(line.key().toString());
      }
    }
  }

  // ---------------------------------------------------------------- configuration

  public PackageCatalog catalog() {
    return catalog;
  }

  public AssignmentStore assignments() {
    return assignments;
  }

  public ChargeJournal journal() {
    return journal;
  }

  public CreditLedger creditLedger() {
    return creditLedger;
  }

  public SpendSource spendSource() {
    return spendSource;
  }

  public BillingClock clock() {
    return clock;
  }

  public CreditPolicy creditPolicy() {
    return creditPolicy;
  }

  public int pageSize() {
    return pageSize;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Whether a run reads its next page on a thread of its own while it commits the current one. */
  public boolean readAhead() {
    return readAhead;
  }

  GrantWriter grantWriter() {
    return grantWriter;
  }

  /** The package an assignment names; {@link UnknownPackageException} when the catalog lacks it. */
  ServicePackage requirePackage(String packageId, String assignmentId) {
    return catalog.find(packageId).orElseThrow(() -> new UnknownPackageException(
        "assignment '" + assignmentId + "' names package '" + packageId + "', which the catalog does not hold"));
  }

  private Assignment requireAssignment(String assignmentId) {
    return assignments.find(assignmentId).orElseThrow(
        () -> new UnknownAssignmentException("no assignment with id '" + assignmentId + "'"));
  }

  /**
   * Builds a {@link PackageBilling}. Each setter may be called once. Only the clock is required;
   * every store not given is a fresh in-memory one (the spend source an empty
   * {@link InMemorySpendSource}, so nobody spent anything until the host records spend),
   * the credit policy is {@link CreditPolicy#ALLOW_NEGATIVE}, pages hold 1000 assignments and
   * batches about 500 lines.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private PackageCatalog catalog;
    private AssignmentStore assignments;
    private ChargeJournal journal;
    private CreditLedger creditLedger;
    private SpendSource spendSource;
    private FreeMinuteStore freeMinuteStore;
    private BillingClock clock;
    private CreditPolicy creditPolicy;
    private Integer pageSize;
    private Integer batchSize;
    private Boolean readAhead;
    private GrantWriter grantWriter;

    private Builder() {}

    private static void once(Object current, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " is already set");
      }
    }

    public Builder catalog(PackageCatalog catalog) {
      once(this.catalog, "catalog");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    public Builder assignments(AssignmentStore assignments) {
      once(this.assignments, "assignments");
      this.assignments = Objects.requireNonNull(assignments, "assignments");
      return this;
    }

    public Builder journal(ChargeJournal journal) {
      once(this.journal, "journal");
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    public Builder creditLedger(CreditLedger creditLedger) {
      once(this.creditLedger, "creditLedger");
      this.creditLedger = Objects.requireNonNull(creditLedger, "creditLedger");
      return this;
    }

    public Builder spendSource(SpendSource spendSource) {
      once(this.spendSource, "spendSource");
      this.spendSource = Objects.requireNonNull(spendSource, "spendSource");
      return this;
    }

    /** Where grants and calls' consumption live. */
    public Builder freeMinuteStore(FreeMinuteStore freeMinuteStore) {
      once(this.freeMinuteStore, "freeMinuteStore");
      this.freeMinuteStore = Objects.requireNonNull(freeMinuteStore, "freeMinuteStore");
      return this;
    }

    /** The provider's clock; required. */
    public Builder clock(BillingClock clock) {
      once(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder creditPolicy(CreditPolicy creditPolicy) {
      once(this.creditPolicy, "creditPolicy");
      this.creditPolicy = Objects.requireNonNull(creditPolicy, "creditPolicy");
      return this;
    }

    /** Assignments loaded (and planned) per page, at least 1. */
    public Builder pageSize(int pageSize) {
      once(this.pageSize, "pageSize");
      if (pageSize < 1) {
        throw new IllegalArgumentException("pageSize must be >= 1, was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /** Lines committed per journal call (about; an assignment's lines stay together when they fit), at least 1. */
    public Builder batchSize(int batchSize) {
      once(this.batchSize, "batchSize");
      if (batchSize < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Whether a run of several pages reads the next page (assignments and histories) on a daemon
     * thread of its own while it plans and commits the current one; on by default. Turn it off when
     * the stores must be called from the caller's thread only (say, stores that join a transaction
     * bound to that thread): every store call of a run then happens on the calling thread.
     */
    public Builder readAhead(boolean readAhead) {
      once(this.readAhead, "readAhead");
      this.readAhead = readAhead;
      return this;
    }

    /** Replaces the grant seam (by default the free-minute ledger); for tests. */
    Builder grantWriter(GrantWriter grantWriter) {
      once(this.grantWriter, "grantWriter");
      this.grantWriter = Objects.requireNonNull(grantWriter, "grantWriter");
      return this;
    }

    /**
     * Builds the engine.
     *
     * @throws IllegalStateException if no clock was given
     */
    public PackageBilling build() {
      if (clock == null) {
        throw new IllegalStateException("clock is required");
      }
      return new PackageBilling(this);
    }
  }
}
