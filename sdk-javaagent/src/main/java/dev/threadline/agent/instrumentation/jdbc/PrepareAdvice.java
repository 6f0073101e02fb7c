package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import net.bytebuddy.asm.Advice;

/** Remembers the SQL of each prepared statement, for the span made when it executes. */
public final class PrepareAdvice {
  private PrepareAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
    JdbcSpans.prepared(statement, sql);
  }
}
