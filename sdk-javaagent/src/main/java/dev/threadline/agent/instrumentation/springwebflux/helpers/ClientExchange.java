package dev.threadline.agent.instrumentation.springwebflux.helpers;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import dev.threadline.agent.bootstrap.springwebflux.WebfluxServers;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * One WebClient exchange. At subscription it finds the caller's context (the request's, from the
 * Reactor context the server wrote; else the one current here), starts the CLIENT span as its
 * child, injects the span's context into the request sent, and ends the span when the response (its
 * status line and headers) arrives, the exchange fails, or it is cancelled.
 */
final class ClientExchange extends Mono<ClientResponse> {
  private final ClientRequest request;
  private final ExchangeFunction next;

  ClientExchange(ClientRequest request, ExchangeFunction next) {
    this.request = request;
    this.next = next;
  }

  @Override
  public void subscribe(CoreSubscriber<? super ClientResponse> actual) {
    Context parent = callerContext(actual.currentContext());
    ClientSpan span;
    try (Scope ignored = parent.makeCurrent()) {
      span =
          ClientSpans.start(WebfluxServers.INSTRUMENTATION, request.method().name(), request.url());
    }
    if (span == null) {
      next.exchange(request).subscribe(actual);
      return;
    }
    String[] headers = span.headers();
    ClientRequest traced =
        ClientRequest.from(request)
            .headers(
                sent -> {
                  for (int i = 0; i + 1 < headers.length; i += 2) {
                    sent.set(headers[i], headers[i + 1]);
                  }
                })
            .build();
    ClientExchangeSubscriber subscriber =
        new ClientExchangeSubscriber(actual, span, parent, parent.with(span.span()));
    try (Scope ignored = span.makeCurrent()) {
      next.exchange(traced).subscribe(subscriber);
    } catch (RuntimeException | Error e) {
      span.end(0, e);
      throw e;
    }
  }

  private static Context callerContext(ContextView view) {
    Object stored = view.getOrDefault(ReactorContexts.KEY, null);
    return stored instanceof Context ? (Context) stored : Context.current();
  }
}
