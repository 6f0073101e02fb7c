package dev.threadline.agent.instrumentation.springwebflux;

import dev.threadline.agent.bootstrap.springwebflux.WebfluxServers;
import net.bytebuddy.asm.Advice;
import org.springframework.web.server.ServerWebExchange;

/**
 * Inlined into {@code HttpWebHandlerAdapter.createExchange}, called by {@code handle} on the same
 * thread: the request's exchange attributes are where the handler mapping leaves the route.
 */
public final class CreateExchangeAdvice {
  private CreateExchangeAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(@Advice.Return ServerWebExchange exchange) {
    if (exchange != null) {
      WebfluxServers.exchangeCreated(exchange.getAttributes());
    }
  }
}
