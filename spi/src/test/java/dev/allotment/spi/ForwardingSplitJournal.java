package dev.allotment.spi;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.LineKey;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A split journal that passes every call to another: the base of test journals for the split-stores
 * adapter that watch or break some calls (a crash before or after a commit, say) and override only
 * those, so a method added to {@link SplitJournal} is forwarded in one place.
 *
 * <p>Thread-safe when the wrapped journal is.
 */
public abstract class ForwardingSplitJournal implements SplitJournal {
  protected final SplitJournal delegate;

  protected ForwardingSplitJournal(SplitJournal delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<String, ChargeHistory> histories(Collection<HistoryRequest> requests) {
    return delegate.histories(requests);
  }

  @Override
  public List<ChargeLine> lines(String assignmentId) {
    return delegate.lines(assignmentId);
  }

  @Override
  public int commit(List<ChargeLine> lines, Map<String, LocalDate> watermarks) {
    return delegate.commit(lines, watermarks);
  }

  @Override
  public void intend(List<ChargeLine> lines) {
    delegate.intend(lines);
  }

  @Override
  public Map<String, List<ChargeLine>> pending(Collection<String> assignmentIds) {
    return delegate.pending(assignmentIds);
  }

  @Override
  public void abandon(Collection<LineKey> keys) {
    delegate.abandon(keys);
  }

  @Override
  public Optional<ChargeLine> find(LineKey key) {
    return delegate.find(key);
  }
}
