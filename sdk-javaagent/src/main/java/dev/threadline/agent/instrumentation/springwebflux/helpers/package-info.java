/**
 * Spring WebFlux helpers, defined next to the application's Spring by {@code HelperClasses} (data
 * path: instrumentation → SERVER/CLIENT span → export): the decoration of a request's handling and
 * the WebClient filter. Signals arrive on event-loop and scheduler threads, serialised per
 * subscription as Reactor guarantees; spans end once, on whichever thread ends them.
 */
package dev.threadline.agent.instrumentation.springwebflux.helpers;
