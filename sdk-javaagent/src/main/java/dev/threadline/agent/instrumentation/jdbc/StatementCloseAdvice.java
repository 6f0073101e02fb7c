package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import dev.threadline.agent.bootstrap.jdbc.PreparedQueryHolder;
import java.sql.PreparedStatement;
import net.bytebuddy.asm.Advice;

/**
 * Forgets a prepared statement's SQL when it is closed. Only the outermost close of a prepared
 * statement on a thread looks it up: the driver's statement that a pool's proxy closes beneath its
 * own was never remembered, a driver's {@code super.close()} closes the same statement, and plain
 * statements are never remembered. (The look-up is not free: it gives the statement its identity
 * hash code.) A statement that holds its query in a field is passed over at once: the query goes
 * with the statement.
 */
public final class StatementCloseAdvice {
  private StatementCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static int enter(
      @Advice.This Object statement, @Advice.Local("depth") CallDepth.Depth depth) {
    if (statement instanceof PreparedQueryHolder) {
      return 0; // depth stays null: the exit does nothing either
    }
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
      return; // a statement with a field of its own, or the enter advice failed
    }
    depth.exit();
    if (outer == 0 && thrown == null && statement instanceof PreparedStatement) {
      JdbcSpans.statementClosed(statement);
    }
  }
}
