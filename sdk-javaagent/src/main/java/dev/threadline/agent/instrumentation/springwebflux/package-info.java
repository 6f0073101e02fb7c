/**
 * Spring WebFlux 6: module and advice (data path: instrumentation → SERVER/CLIENT span → export),
 * with bootstrap helpers in {@code dev.threadline.agent.bootstrap.springwebflux}. Advice runs on
 * the thread that hands a request to WebFlux (Reactor Netty's event loop) or builds a WebClient;
 * spans end on whichever thread completes the response.
 */
package dev.threadline.agent.instrumentation.springwebflux;
