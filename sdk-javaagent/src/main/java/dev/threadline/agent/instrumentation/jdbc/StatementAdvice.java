package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import io.opentelemetry.api.trace.Span;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;

/** {@code Statement.execute*(sql)}: the SQL is the argument. */
public final class StatementAdvice {
  private StatementAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(
      @Advice.This Statement statement,
      @Advice.Argument(0) String sql,
      @Advice.Local("depth") CallDepth.Depth depth) {
    depth = JdbcSpans.CALL_DEPTH.current();
    if (depth.enter() > 0) {
      return null;
    }
    return JdbcSpans.start(sql, JdbcSpans.targetOf(statement));
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Thrown Throwable thrown,
      @Advice.Local("depth") CallDepth.Depth depth) {
    JdbcSpans.executed(depth, span, thrown);
  }
}
