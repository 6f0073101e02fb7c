/**
 * The WebFlux test application: endpoints that call a downstream through WebClient and
 * java.net.http from Reactor's hand-offs (data path: instrumentation → span → export, with the
 * agent attached). Handlers run on Reactor Netty's event loops and Reactor's scheduler threads.
 */
package dev.threadline.agent.it.webflux.app;
