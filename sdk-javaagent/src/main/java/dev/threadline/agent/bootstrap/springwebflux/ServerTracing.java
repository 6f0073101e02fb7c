package dev.threadline.agent.bootstrap.springwebflux;

/**
 * Implemented by the WebFlux helper that decorates {@code HttpWebHandlerAdapter.handle}'s {@code
 * Mono<Void>} (a Reactor type, not visible here).
 */
public interface ServerTracing {
  /**
   * The {@code Mono<Void>} {@code handled}, with the request's context written into its Reactor
   * context and the SERVER span ended when it completes, fails or is cancelled.
   */
  Object traced(Object handled, WebfluxRequest request);
}
