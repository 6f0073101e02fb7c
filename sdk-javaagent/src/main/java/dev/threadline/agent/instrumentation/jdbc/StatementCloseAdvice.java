package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import java.sql.PreparedStatement;
import net.bytebuddy.asm.Advice;

/**
 * Forgets a prepared statement's SQL when it is closed. Only the outermost close of a prepared
 * statement on a thread looks it up: the driver's statement that a pool's proxy closes beneath its
 * own was never remembered, a driver's {@code super.close()} closes the same statement, and plain
 * statements are never remembered. (The look-up is not free: it gives the statement its identity
 * hash code.)
 */
public final class StatementCloseAdvice {
  private StatementCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static int enter() {
    return JdbcSpans.CLOSE_DEPTH.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter int depth, @Advice.This Object statement, @Advice.Thrown Throwable thrown) {
    JdbcSpans.CLOSE_DEPTH.exit();
    if (depth == 0 && thrown == null && statement instanceof PreparedStatement) {
      JdbcSpans.statementClosed(statement);
    }
  }
}
