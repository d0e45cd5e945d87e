package dev.allotment.jdbc;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;

/**
 * A DataSource that records the SQL of every prepared statement execution (a JDBC batch counts as
 * one): for proving what an operation costs in round trips.
 *
 * <p>Thread-safe.
 */
final class CountingDataSource extends ForwardingDataSource {
  private final List<String> executed = Collections.synchronizedList(new ArrayList<>());

  CountingDataSource(DataSource target) {
    super(target);
  }

  /** The statements executed since the last call, in order; starts counting afresh. */
  List<String> drain() {
    synchronized (executed) {
      List<String> copy = List.copyOf(executed);
      executed.clear();
      return copy;
    }
  }

  @Override
  Connection wrap(Connection connection) {
    return hookPrepared(connection, executed::add);
  }
}
