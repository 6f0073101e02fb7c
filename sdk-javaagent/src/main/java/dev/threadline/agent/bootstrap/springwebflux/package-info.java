/**
 * Spring WebFlux, bootstrap side (data path: instrumentation → SERVER/CLIENT span → export): starts
 * a request's SERVER span where WebFlux receives it and hands its context to the helpers that carry
 * it through Reactor. A request's handling enters on one thread (Reactor Netty's event loop) and
 * ends on whichever thread completes the response; nothing stays current on the event loop.
 */
package dev.threadline.agent.bootstrap.springwebflux;
