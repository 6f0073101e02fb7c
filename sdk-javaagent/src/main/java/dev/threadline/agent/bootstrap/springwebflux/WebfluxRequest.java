package dev.threadline.agent.bootstrap.springwebflux;

import dev.threadline.agent.bootstrap.http.ServerSpan;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;

/**
 * One request served by WebFlux: its SERVER span, the context that carries it (written into the
 * request's Reactor context), and what is needed to end it (the response, the exchange's attributes
 * with the matched route).
 */
public final class WebfluxRequest {
  /** Set by Spring WebFlux's handler mappings; its value prints as the route template. */
  public static final String BEST_MATCHING_PATTERN =
      "org.springframework.web.reactive.HandlerMapping.bestMatchingPattern";

  private final ServerSpan span;
  private final Context context;
  private final Object response;
  private volatile Map<String, Object> attributes;
  private Scope scope;

  WebfluxRequest(ServerSpan span, Context context, Object response) {
    this.span = span;
    this.context = context;
    this.response = response;
  }

  /** The context of the request: the SERVER span (or the span that already served it). */
  public Context context() {
    return context;
  }

  /** The {@code ServerHttpResponse}, to read the status from at the end. */
  public Object response() {
    return response;
  }

  /** The exchange's attributes, once the exchange exists. */
  public void attributes(Map<String, Object> exchangeAttributes) {
    this.attributes = exchangeAttributes;
  }

  void enter() {
    scope = context.makeCurrent();
  }

  /** Leaves the context entered on the handling thread. */
  public void exit() {
    Scope current = scope;
    scope = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Ends the SERVER span (a request that joined an outer server span ends nothing), named after the
   * route the handler mapping matched. Idempotent.
   */
  public void end(int status, Throwable error) {
    if (span == null) {
      return;
    }
    Map<String, Object> exchangeAttributes = attributes;
    Object route =
        exchangeAttributes == null ? null : exchangeAttributes.get(BEST_MATCHING_PATTERN);
    if (route != null) {
      span.setRoute(route.toString());
    }
    span.end(status, error);
  }
}
