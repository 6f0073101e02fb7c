package dev.threadline.agent.instrumentation.springwebflux.helpers;

import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import dev.threadline.agent.bootstrap.springwebflux.ServerTracing;
import dev.threadline.agent.bootstrap.springwebflux.WebfluxRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Decorates {@code HttpWebHandlerAdapter.handle}'s result: the request's OpenTelemetry context is
 * written into the Reactor context of the whole handling chain (where the operator hook and the
 * WebClient filter read it), and the SERVER span ends when the response is complete, the handling
 * fails, or the server cancels it (the client went away).
 */
public final class ServerHandleTracing implements ServerTracing {
  @Override
  @SuppressWarnings("unchecked")
  public Object traced(Object handled, WebfluxRequest request) {
    ServerHttpResponse response = (ServerHttpResponse) request.response();
    return ((Mono<Void>) handled)
        .doOnSuccess(ignored -> request.end(status(response), null))
        .doOnError(error -> request.end(status(response), error))
        .doOnCancel(() -> request.end(status(response), null))
        .contextWrite(Context.of(ReactorContexts.KEY, request.context()));
  }

  private static int status(ServerHttpResponse response) {
    HttpStatusCode status = response.getStatusCode();
    return status == null ? 200 : status.value();
  }
}
