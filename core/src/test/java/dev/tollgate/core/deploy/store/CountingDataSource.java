package dev.tollgate.core.deploy.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that records every SQL statement executed through it, so a test can say how
 * many round trips an operation costs. Wraps the real pool; statements are counted when executed,
 * with the SQL they were prepared with.
 */
public final class CountingDataSource {
  private static final Set<String> EXECUTES =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch");

  private final DataSource target;
  private final List<String> executed = new CopyOnWriteArrayList<>();

  public CountingDataSource(DataSource target) {
    this.target = target;
  }

  /** The counting data source. */
  public DataSource dataSource() {
    return proxy(DataSource.class, target, null);
  }

  /** The SQL of every statement executed since the last {@link #reset}, in order. */
  public List<String> executed() {
    return List.copyOf(executed);
  }

  /** Forgets what was executed so far. */
  public void reset() {
    executed.clear();
  }

  private <T> T proxy(Class<T> type, Object real, String sql) {
    InvocationHandler handler =
        (self, method, args) -> {
          Object result = invoke(method, real, args);
          if (result instanceof Connection c) {
            return proxy(Connection.class, c, null);
          }
          if (result instanceof CallableStatement s) {
            return proxy(CallableStatement.class, s, (String) args[0]);
          }
          if (result instanceof PreparedStatement s) {
            return proxy(PreparedStatement.class, s, (String) args[0]);
          }
          if (result instanceof Statement s) {
            return proxy(Statement.class, s, null);
          }
          if (EXECUTES.contains(method.getName()) && real instanceof Statement) {
            executed.add(sql != null ? sql : args != null && args.length > 0 ? "" + args[0] : "?");
          }
          return result;
        };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object invoke(Method method, Object real, Object[] args) throws Throwable {
    try {
      return method.invoke(real, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
