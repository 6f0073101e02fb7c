package dev.threadline.agent.instrumentation.springwebflux.helpers;

import dev.threadline.agent.bootstrap.http.ClientSpan;
import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.reactivestreams.Subscription;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.CoreSubscriber;

/**
 * Subscribes to the connector's exchange for one CLIENT span: ends the span at the response, the
 * error or the cancellation, and delivers the signals downstream in the caller's context. Upstream
 * (the connector's own operators) sees the CLIENT span's context in its Reactor context.
 */
final class ClientExchangeSubscriber implements CoreSubscriber<ClientResponse>, Subscription {
  private final CoreSubscriber<? super ClientResponse> actual;
  private final ClientSpan span;
  private final Context caller;
  private final reactor.util.context.Context upstreamContext;
  private Subscription upstream;

  ClientExchangeSubscriber(
      CoreSubscriber<? super ClientResponse> actual,
      ClientSpan span,
      Context caller,
      Context clientContext) {
    this.actual = actual;
    this.span = span;
    this.caller = caller;
    this.upstreamContext = actual.currentContext().put(ReactorContexts.KEY, clientContext);
  }

  @Override
  public reactor.util.context.Context currentContext() {
    return upstreamContext;
  }

  @Override
  public void onSubscribe(Subscription subscription) {
    upstream = subscription;
    try (Scope ignored = caller.makeCurrent()) {
      actual.onSubscribe(this);
    }
  }

  @Override
  public void onNext(ClientResponse response) {
    span.end(response.statusCode().value(), null);
    try (Scope ignored = caller.makeCurrent()) {
      actual.onNext(response);
    }
  }

  @Override
  public void onError(Throwable error) {
    span.end(0, error);
    try (Scope ignored = caller.makeCurrent()) {
      actual.onError(error);
    }
  }

  @Override
  public void onComplete() {
    span.end(0, null);
    try (Scope ignored = caller.makeCurrent()) {
      actual.onComplete();
    }
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    span.end(0, null);
    upstream.cancel();
  }
}
