package dev.threadline.agent.instrumentation.springwebflux.helpers;

import java.util.List;
import java.util.function.Consumer;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;

/**
 * Given to {@code WebClient.Builder.filters} as a WebClient is built: adds the tracing filter last,
 * unless a builder that was copied ({@code mutate()}, {@code clone()}) already has it.
 */
public final class AddClientFilter implements Consumer<List<ExchangeFilterFunction>> {
  @Override
  public void accept(List<ExchangeFilterFunction> filters) {
    for (ExchangeFilterFunction filter : filters) {
      if (filter instanceof ClientTracingFilter) {
        return;
      }
    }
    filters.add(new ClientTracingFilter());
  }
}
