package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import io.opentelemetry.api.trace.Span;
import java.sql.Statement;
import net.bytebuddy.asm.Advice;

/** {@code PreparedStatement.execute*()}: the SQL was remembered when the statement was prepared. */
public final class PreparedStatementAdvice {
  private PreparedStatementAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static Span enter(@Advice.This Statement statement) {
    if (JdbcSpans.CALL_DEPTH.enter() > 0) {
      return null;
    }
    return JdbcSpans.start(JdbcSpans.sqlOf(statement), JdbcSpans.targetOf(statement));
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable thrown) {
    JdbcSpans.CALL_DEPTH.exit();
    JdbcSpans.end(span, thrown);
  }
}
