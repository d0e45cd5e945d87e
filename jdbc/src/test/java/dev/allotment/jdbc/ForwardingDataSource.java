package dev.allotment.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The base of the test DataSources that watch or break the statements the stores run: forwards
 * everything to a target DataSource and lets a subclass wrap each connection it hands out.
 *
 * <p>Thread-safe when the subclass's wrapping is.
 */
abstract class ForwardingDataSource implements DataSource {
  /** What a wrapper does around one execution of a prepared statement. */
  @FunctionalInterface
  interface ExecutionHook {
    /** Called before every {@code execute*} of a statement prepared from {@code sql}; may throw. */
    void beforeExecute(String sql) throws SQLException;
  }

  final DataSource target;

  ForwardingDataSource(DataSource target) {
    this.target = target;
  }

  /** The connection the caller gets in place of {@code connection}. */
  abstract Connection wrap(Connection connection) throws SQLException;

  /**
   * A connection whose prepared statements call {@code hook} before each execution; everything
   * else goes straight to {@code connection}.
   */
  final Connection hookPrepared(Connection connection, ExecutionHook hook) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          Object result = invoke(connection, method, args);
          if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
            PreparedStatement statement = (PreparedStatement) result;
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (statementProxy, statementMethod, statementArgs) -> {
                  if (statementMethod.getName().startsWith("execute")) {
                    hook.beforeExecute(sql);
                  }
                  return invoke(statement, statementMethod, statementArgs);
                });
          }
          return result;
        });
  }

  /** Calls {@code method} on {@code target}, throwing what the target threw, not its reflective wrapper. */
  static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(target.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(target.getConnection(user, password));
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
