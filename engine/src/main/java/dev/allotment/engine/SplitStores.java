package dev.allotment.engine;

import dev.allotment.core.ChargeLine;
import dev.allotment.core.Money;
import dev.allotment.core.SetOnce;
import dev.allotment.spi.AssignmentStore;
import dev.allotment.spi.BillingStores;
import dev.allotment.spi.EventOutbox;
import dev.allotment.spi.PackageCatalog;
import dev.allotment.spi.SpendSource;
import dev.allotment.spi.SplitCreditLedger;
import dev.allotment.spi.SplitFreeMinuteStore;
import dev.allotment.spi.SplitJournal;
import dev.allotment.spi.StoredEvent;
import dev.allotment.spi.UnitOfWork;
import java.util.List;
import java.util.Objects;

/**
 * Stores for a host whose journal, credit ledger and free-minute store live in separate systems
 * (a journal here, credit in the host's CRM, say), so no transaction spans them. Its unit of work
 * writes a batch with intent before side effects ({@link SplitJournal#intend}, then grants, then
 * credit postings, then the journal) and repairs on the next commit what a crash left half-done:
 * nothing is lost and nothing is charged twice.
 *
 * <p>This is the exception path. Stores that share one database ({@code JdbcStores},
 * {@code InMemoryStores}) commit a batch as one transaction and need none of this. Here the
 * version check of a batch is a read, not a lock, and repairs assume one writer per assignment:
 * engines on split stores must not run the same assignments at once (give each a partition with
 * {@link RunRequest#inPartition}); under {@link CreditPolicy#ONLY_IF_COVERED} a run right after a
 * crash may skip a line that the credit an undone attempt gives back would have covered (the next
 * run charges it).
 *
 * <p>Thread-safe as far as the stores are. Build one with {@link #builder()}.
 */
public final class SplitStores implements BillingStores {
  private final PackageCatalog catalog;
  private final AssignmentStore assignments;
  private final SplitJournal journal;
  private final SplitCreditLedger creditLedger;
  private final SpendSource spend;
  private final SplitFreeMinuteStore freeMinutes;
  private final CreditPoster poster;
  private final UnitOfWork unitOfWork;

  private SplitStores(Builder b) {
    this.catalog = b.catalog;
    this.assignments = b.assignments;
    this.journal = b.journal;
    this.creditLedger = b.creditLedger;
    this.spend = b.spend;
    this.freeMinutes = b.freeMinutes;
    this.poster = new CreditPoster(creditLedger);
    this.unitOfWork = new SplitCommit(assignments, journal, poster, freeMinutes);
  }

  /** {@return a builder of split stores; every store is required} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PackageCatalog catalog() {
    return catalog;
  }

  @Override
  public AssignmentStore assignments() {
    return assignments;
  }

  @Override
  public SplitJournal journal() {
    return journal;
  }

  @Override
  public SplitCreditLedger creditLedger() {
    return creditLedger;
  }

  @Override
  public SpendSource spend() {
    return spend;
  }

  @Override
  public SplitFreeMinuteStore freeMinutes() {
    return freeMinutes;
  }

  @Override
  public UnitOfWork unitOfWork() {
    return unitOfWork;
  }

  /**
   * An outbox that holds nothing: no transaction spans the split stores, so no event could be
   * written with its effect, and the engine refuses to write events over them (build it with
   * {@code events(false)}). Reading or deleting throws.
   *
   * @return the empty outbox
   */
  @Override
  public EventOutbox events() {
    return NO_OUTBOX;
  }

  private static final EventOutbox NO_OUTBOX = new EventOutbox() {
    @Override
    public List<StoredEvent> read(long afterCursor, int limit) {
      throw new UnsupportedOperationException(NO_EVENTS);
    }

    @Override
    public int deleteThrough(long cursor) {
      throw new UnsupportedOperationException(NO_EVENTS);
    }

    @Override
    public String toString() {
      return "no outbox (split stores)";
    }
  };

  private static final String NO_EVENTS = "split stores keep no event outbox: no transaction spans their systems";

  /**
   * What earlier attempts that crashed before their journal commit posted under the key of a line
   * not journaled yet (the signed net, zero when nothing): the commit that finishes the line moves
   * only the difference, so a credit decision must count only that ({@link CreditDecision}).
   */
  Money held(ChargeLine line) {
    return poster.held(line.keyText(), line.retail().currency());
  }

  /**
   * Assembles {@link SplitStores}. Each setter may be called once; every store is required.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private PackageCatalog catalog;
    private AssignmentStore assignments;
    private SplitJournal journal;
    private SplitCreditLedger creditLedger;
    private SpendSource spend;
    private SplitFreeMinuteStore freeMinutes;

    private Builder() {}

    /**
     * The catalog (required).
     *
     * @param catalog the catalog
     * @return this builder
     */
    public Builder catalog(PackageCatalog catalog) {
      SetOnce.check(this.catalog, "catalog");
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * The assignment store (required).
     *
     * @param assignments the store
     * @return this builder
     */
    public Builder assignments(AssignmentStore assignments) {
      SetOnce.check(this.assignments, "assignments");
      this.assignments = Objects.requireNonNull(assignments, "assignments");
      return this;
    }

    /**
     * The journal, with pending lines (required).
     *
     * @param journal the journal
     * @return this builder
     */
    public Builder journal(SplitJournal journal) {
      SetOnce.check(this.journal, "journal");
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /**
     * The credit ledger, with keyed lookups (required).
     *
     * @param creditLedger the ledger
     * @return this builder
     */
    public Builder creditLedger(SplitCreditLedger creditLedger) {
      SetOnce.check(this.creditLedger, "creditLedger");
      this.creditLedger = Objects.requireNonNull(creditLedger, "creditLedger");
      return this;
    }

    /**
     * The spend source (required).
     *
     * @param spend the source
     * @return this builder
     */
    public Builder spend(SpendSource spend) {
      SetOnce.check(this.spend, "spend");
      this.spend = Objects.requireNonNull(spend, "spend");
      return this;
    }

    /**
     * The free-minute store, with grant additions and revocations (required).
     *
     * @param freeMinutes the store
     * @return this builder
     */
    public Builder freeMinutes(SplitFreeMinuteStore freeMinutes) {
      SetOnce.check(this.freeMinutes, "freeMinutes");
      this.freeMinutes = Objects.requireNonNull(freeMinutes, "freeMinutes");
      return this;
    }

    /**
     * The stores.
     *
     * @return the split stores
     * @throws IllegalStateException naming the first store not given
     */
    public SplitStores build() {
      return (SplitStores) BillingStores.requireComplete(new SplitStores(this));
    }
  }
}
