package dev.allotment.spi;

import dev.allotment.core.ChargeHistory;
import dev.allotment.core.ChargeLine;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A charge journal that passes every call to another: the base of test journals that watch or break
 * some reads and override only those, so a method added to {@link ChargeJournal} is forwarded in
 * one place. (Writes go through the {@link UnitOfWork}; wrap that to watch them.)
 *
 * <p>Thread-safe when the wrapped journal is.
 */
public abstract class ForwardingChargeJournal implements ChargeJournal {
  protected final ChargeJournal delegate;

  protected ForwardingChargeJournal(ChargeJournal delegate) {
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
}
