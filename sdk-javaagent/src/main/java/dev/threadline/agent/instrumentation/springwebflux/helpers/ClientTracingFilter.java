package dev.threadline.agent.instrumentation.springwebflux.helpers;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * A WebClient filter: each exchange is a CLIENT span, started when the exchange is subscribed to
 * (every subscription, a retry included, is one request sent).
 */
final class ClientTracingFilter implements ExchangeFilterFunction {
  @Override
  public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
    return new ClientExchange(request, next);
  }
}
