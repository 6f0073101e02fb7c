package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.CallDepth;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import io.opentelemetry.api.trace.Span;
import net.bytebuddy.asm.Advice;

/**
 * {@code PreparedStatement.execute*()}: what the span says was worked out when the statement was
 * prepared.
 */
public final class PreparedStatementAdvice {
  private PreparedStatementAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(
      @Advice.This Object statement, @Advice.Local("depth") CallDepth.Depth depth) {
    depth = JdbcSpans.CALL_DEPTH.current();
    if (depth.enter() > 0) {
      return null;
    }
    return JdbcSpans.startPrepared(statement);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Span span,
      @Advice.Thrown Throwable thrown,
      @Advice.Local("depth") CallDepth.Depth depth) {
    JdbcSpans.executed(depth, span, thrown);
  }
}
