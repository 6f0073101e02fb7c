package dev.threadline.agent.instrumentation.springwebflux;

import dev.threadline.agent.bootstrap.springwebflux.WebfluxServers;
import java.util.List;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Inlined at the start of {@code DefaultWebClientBuilder.build()}: adds the tracing filter (last,
 * so it sees the request as it is sent) unless the builder already has it.
 */
public final class BuildAdvice {
  private BuildAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  @SuppressWarnings("unchecked")
  public static void enter(@Advice.This WebClient.Builder builder) {
    Object adder = WebfluxServers.clientFilterAdder(WebClient.class);
    if (adder != null) {
      builder.filters((Consumer<List<ExchangeFilterFunction>>) adder);
    }
  }
}
