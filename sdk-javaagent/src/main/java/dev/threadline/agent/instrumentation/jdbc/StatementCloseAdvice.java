package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.CallDepth;
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
  public static int enter(@Advice.Local("depth") CallDepth.Depth depth) {
    depth = JdbcSpans.CLOSE_DEPTH.current();
    return depth.enter();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter int outer,
      @Advice.This Object statement,
      @Advice.Thrown Throwable thrown,
      @Advice.Local("depth") CallDepth.Depth depth) {
    if (depth == null) {
      return; // the enter advice failed
    }
    depth.exit();
    if (outer == 0 && thrown == null && statement instanceof PreparedStatement) {
      JdbcSpans.statementClosed(statement);
    }
  }
}
