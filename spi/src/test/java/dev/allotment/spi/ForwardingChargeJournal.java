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
 * A charge journal that passes every call to another: the base of test journals that watch or break
 * some calls and override only those, so a method added to {@link ChargeJournal} is forwarded in
 * one place.
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

  @Override
  public List<ChargeLine> lines(String assignmentId) {
    return delegate.lines(assignmentId);
  }
}
