package dev.threadline.agent.instrumentation.jdbc;

import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import net.bytebuddy.asm.Advice;

/** Forgets a connection's database when it is closed (for a pool's proxy: given back). */
public final class ConnectionCloseAdvice {
  private ConnectionCloseAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.This Object connection) {
    JdbcSpans.connectionClosed(connection);
  }
}
