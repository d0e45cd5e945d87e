package dev.allotment.engine;

import dev.allotment.core.Money;
import dev.allotment.core.SetOnce;
import dev.allotment.spi.BillingClock;
import dev.allotment.spi.BillingStores;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link PackageBilling}. Each setter may be called once. The clock and the stores are
 * required; the credit policy is {@link CreditPolicy#ALLOW_NEGATIVE}, pages hold 1000 assignments,
 * batches about 500 lines, two batches commit at once (see {@link #commitsInFlight}), and runs
 * reach at most {@value RunSettings#DEFAULT_RUN_HORIZON_YEARS} years past the clock's today unless set.
 *
 * <p>Not thread-safe.
 */
public final class PackageBillingBuilder {
  private static final int MAX_COMMITS_IN_FLIGHT = 8;
  private BillingStores stores;
  private BillingClock clock;
  private CreditPolicy creditPolicy;
  private Integer pageSize;
  private Integer batchSize;
  private Boolean readAhead;
  private Integer commitsInFlight;
  private Integer runHorizonYears;
  private Boolean events;
  private Map<Currency, Money> creditLowThresholds;

  PackageBillingBuilder() {}

  /**
   * Every store the engine uses, as one bundle; required.
   *
   * @param stores the bundle of stores
   * @return this builder
   */
  public PackageBillingBuilder stores(BillingStores stores) {
    SetOnce.check(this.stores, "stores");
    this.stores = Objects.requireNonNull(stores, "stores");
    return this;
  }

  /**
   * The provider's clock; required.
   *
   * @param clock the clock
   * @return this builder
   */
  public PackageBillingBuilder clock(BillingClock clock) {
    SetOnce.check(this.clock, "clock");
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * What a CHARGE does when credit cannot cover a line (default {@link CreditPolicy#ALLOW_NEGATIVE}).
   *
   * @param creditPolicy the policy
   * @return this builder
   */
  public PackageBillingBuilder creditPolicy(CreditPolicy creditPolicy) {
    SetOnce.check(this.creditPolicy, "creditPolicy");
    this.creditPolicy = Objects.requireNonNull(creditPolicy, "creditPolicy");
    return this;
  }

  /**
   * Assignments loaded (and planned) per page, at least 1.
   *
   * @param pageSize the page size
   * @return this builder
   */
  public PackageBillingBuilder pageSize(int pageSize) {
    SetOnce.check(this.pageSize, "pageSize");
    this.pageSize = atLeastOne("pageSize", pageSize);
    return this;
  }

  /**
   * Lines committed per unit of work (about; an assignment's lines stay together when they fit), at least 1.
   *
   * @param batchSize the batch size
   * @return this builder
   */
  public PackageBillingBuilder batchSize(int batchSize) {
    SetOnce.check(this.batchSize, "batchSize");
    this.batchSize = atLeastOne("batchSize", batchSize);
    return this;
  }

  /**
   * Whether a run of several pages reads the next page (assignments and histories) on a daemon
   * thread of its own while it plans and commits the current one; on by default. A run returns
   * (or throws) only once that thread's read has ended. Turn it off when the stores must be called
   * from the caller's thread only (say, stores that join a transaction bound to that thread): every
   * store call of a run then happens on the calling thread.
   *
   * @param readAhead false to call the stores from the caller's thread only
   * @return this builder
   */
  public PackageBillingBuilder readAhead(boolean readAhead) {
    SetOnce.check(this.readAhead, "readAhead");
    this.readAhead = readAhead;
    return this;
  }

  /**
   * How many batches of a CHARGE may commit at once, each on a daemon thread of its own, 1 to 8
   * (default 2): the stores work on one batch while the run builds and sends the next. Batches
   * never share an assignment while in flight, and a run returns (or throws) only once every commit
   * it started has ended. Each commit in flight holds a connection of a JDBC pool, beside the
   * read-ahead's. Batches commit one at a time, as if this were 1, when the stores must be called
   * from the caller's thread ({@link #readAhead readAhead(false)}), under
   * {@link CreditPolicy#ONLY_IF_COVERED} (whose decisions follow the order of a customer's lines)
   * and on {@link SplitStores}; setting more than 1 with any of these is refused by {@link #build}.
   *
   * @param commitsInFlight how many batches may commit at once
   * @return this builder
   */
  public PackageBillingBuilder commitsInFlight(int commitsInFlight) {
    SetOnce.check(this.commitsInFlight, "commitsInFlight");
    if (commitsInFlight < 1 || commitsInFlight > MAX_COMMITS_IN_FLIGHT) {
      throw new IllegalArgumentException("commitsInFlight must be within 1.." + MAX_COMMITS_IN_FLIGHT + ", was "
          + commitsInFlight);
    }
    this.commitsInFlight = commitsInFlight;
    return this;
  }

  /**
   * How far past the clock's today a run's date may lie, in years (default
   * {@value RunSettings#DEFAULT_RUN_HORIZON_YEARS}; 1 to 100). A run for a later date is refused
   * before anything is read: it would plan (and hold) every line of every assignment up to it. A
   * host that bills far ahead on purpose raises it.
   *
   * @param years the horizon in years
   * @return this builder
   */
  public PackageBillingBuilder runHorizonYears(int years) {
    SetOnce.check(this.runHorizonYears, "runHorizonYears");
    if (years < 1 || years > 100) {
      throw new IllegalArgumentException("runHorizonYears must be within 1..100, was " + years);
    }
    this.runHorizonYears = years;
    return this;
  }

  /**
   * Whether the engine's writes carry their events into the stores' outbox (default true). Off, no
   * event is written, read or heard; a host that does not read events saves their writes. The
   * split stores keep no outbox: an engine on {@link SplitStores} needs {@code events(false)}.
   *
   * @param events false to write no events
   * @return this builder
   */
  public PackageBillingBuilder events(boolean events) {
    SetOnce.check(this.events, "events");
    this.events = events;
    return this;
  }

  /**
   * The balance below which a customer's credit is low, one per currency: a posting of a run that
   * takes a balance from at or above it to below it writes a {@code CREDIT_LOW} event (once per
   * crossing). Default none.
   *
   * @param thresholds the thresholds, at most one per currency
   * @return this builder
   * @throws IllegalArgumentException naming the currency given twice
   */
  public PackageBillingBuilder creditLowThresholds(Money... thresholds) {
    SetOnce.check(this.creditLowThresholds, "creditLowThresholds");
    Map<Currency, Money> byCurrency = new LinkedHashMap<>();
    for (Money threshold : thresholds) {
      Objects.requireNonNull(threshold, "threshold");
      if (byCurrency.put(threshold.currency(), threshold) != null) {
        throw new IllegalArgumentException("creditLowThresholds must give one threshold per currency, "
            + threshold.currency().getCurrencyCode() + " came twice");
      }
    }
    this.creditLowThresholds = byCurrency;
    return this;
  }

  private static int atLeastOne(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be >= 1, was " + value);
    }
    return value;
  }

  /**
   * Builds the engine.
   *
   * @return the engine
   * @throws IllegalStateException naming what is missing: the clock, the stores, or a store of
   *     the bundle; or when events are on over {@link SplitStores}, which keep no outbox; or when
   *     {@link #commitsInFlight} is above 1 where batches commit one at a time, naming why
   */
  public PackageBilling build() {
    if (clock == null) {
      throw new IllegalStateException("clock is required");
    }
    if (stores == null) {
      throw new IllegalStateException("stores is required: give every store as one bundle, e.g."
          + " JdbcStores.create(dataSource) or new InMemoryStores()");
    }
    BillingStores.requireComplete(stores);
    boolean eventsOn = events == null || events;
    if (eventsOn && stores instanceof SplitStores) {
      throw new IllegalStateException("split stores keep no event outbox (no transaction spans their systems, so no"
          + " event could be written with its effect): build the engine with events(false)");
    }
    EventSettings eventSettings = new EventSettings(eventsOn,
        creditLowThresholds != null ? creditLowThresholds : Map.of());
    CreditPolicy policy = creditPolicy != null ? creditPolicy : CreditPolicy.ALLOW_NEGATIVE;
    boolean reads = readAhead == null || readAhead;
    return new PackageBilling(stores, clock, new RunSettings(policy, pageSize != null ? pageSize : 1000,
        batchSize != null ? batchSize : 500, reads, commitsInFlight(policy, reads),
        runHorizonYears != null ? runHorizonYears : RunSettings.DEFAULT_RUN_HORIZON_YEARS), eventSettings);
  }

  /** The batches in flight: 1 where commits must be sequential (refusing more if set), else as set or 2. */
  private int commitsInFlight(CreditPolicy policy, boolean reads) {
    String oneAtATime = !reads ? "readAhead(false) calls the stores from the caller's thread only"
        : policy == CreditPolicy.ONLY_IF_COVERED ? "ONLY_IF_COVERED decides credit in the order of a customer's lines"
        : stores instanceof SplitStores ? "the split stores commit one batch at a time" : null;
    if (oneAtATime == null) {
      return commitsInFlight != null ? commitsInFlight : 2;
    }
    if (commitsInFlight != null && commitsInFlight > 1) {
      throw new IllegalStateException("commitsInFlight(" + commitsInFlight + ") needs batches committed on threads"
          + " of their own, but " + oneAtATime + ": leave it unset or set 1");
    }
    return 1;
  }
}
