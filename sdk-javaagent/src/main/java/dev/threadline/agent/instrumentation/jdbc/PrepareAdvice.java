package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import dev.threadline.agent.bootstrap.jdbc.JdbcUrl;
import java.sql.Connection;
import net.bytebuddy.asm.Advice;

/**
 * Remembers what the spans of each prepared statement will say (its SQL and its connection's
 * database), for the spans made when it executes. Runs inlined in the driver's or pool's connection
 * class, where the JDBC API is visible, so the connection is asked directly.
 */
public final class PrepareAdvice {
  private PrepareAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static int enter(@Advice.Local("depth") CallDepth.Depth depth) {
    depth = JdbcSpans.PREPARE_DEPTH.current();
    return depth.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter int outer,
      @Advice.This Connection connection,
      @Advice.Argument(0) String sql,
      @Advice.Return Object statement,
      @Advice.Local("depth") CallDepth.Depth depth) {
    if (depth == null) {
      return; // the enter advice failed
    }
    depth.exit();
    if (outer > 0 || statement == null) {
      return; // the driver's statement under a pool's proxy: executed only through the proxy
    }
    // A pool lends a new proxy per borrow: the driver's connection beneath is the one to remember.
    Connection driver = connection;
    try {
      if (connection.isWrapperFor(Connection.class)) {
        Connection unwrapped = connection.unwrap(Connection.class);
        driver = unwrapped != null ? unwrapped : connection;
      }
    } catch (Throwable t) {
      // A driver that predates JDBC 4's Wrapper: its connection is the key.
    }
    JdbcUrl url = JdbcSpans.urlOf(driver);
    if (url == null) {
      String raw = null;
      try {
        raw = driver.getMetaData().getURL();
      } catch (Throwable t) {
        // No metadata: the span names the database system as unknown.
      }
      url = JdbcSpans.rememberUrl(driver, raw);
    }
    JdbcSpans.prepared(statement, sql, url);
  }
}
