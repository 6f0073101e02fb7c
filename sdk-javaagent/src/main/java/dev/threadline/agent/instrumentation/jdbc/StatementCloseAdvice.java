package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import net.bytebuddy.asm.Advice;

/** Forgets a statement's SQL when it is closed. */
public final class StatementCloseAdvice {
  private StatementCloseAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object statement) {
    JdbcSpans.statementClosed(statement);
  }
}
