package dev.allotment.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that makes the execution of chosen statements fail, as a database losing the
 * connection mid-transaction would: for proving that a failure after some writes leaves none.
 *
 * <p>Thread-safe.
 */
final class FailingDataSource implements DataSource {
  /** SQL state of the injected failure: connection failure, which the stores never retry. */
  static final String STATE = "08006";

  private final DataSource target;
  private final AtomicReference<String> failOn = new AtomicReference<>();

  FailingDataSource(DataSource target) {
    this.target = target;
  }

  /** From now on, executing a prepared statement whose SQL contains {@code fragment} fails. */
  FailingDataSource failOn(String fragment) {
    failOn.set(fragment);
    return this;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(target.getConnection(user, password));
  }

  private Connection wrap(Connection connection) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          Object result = invoke(connection, method, args);
          if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
            return failing((PreparedStatement) result, sql);
          }
          return result;
        });
  }

  private PreparedStatement failing(PreparedStatement statement, String sql) {
    return (PreparedStatement) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
          String fragment = failOn.get();
          if (method.getName().startsWith("execute") && fragment != null && sql.contains(fragment)) {
            throw new SQLException("injected failure executing: " + sql, STATE);
          }
          return invoke(statement, method, args);
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return target.isWrapperFor(iface);
  }
}
