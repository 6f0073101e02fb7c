/**
 * HTTP span helpers on the bootstrap class path, shared by the servlet, Spring MVC, Spring WebFlux
 * and HTTP client instrumentations: SERVER spans of incoming requests (WebFlux's detached from the
 * thread, in {@code DetachedServerSpans}) (their parent extracted by {@code RequestHeaders} from
 * every value of each propagation header), CLIENT spans of outgoing ones (data path:
 * instrumentation → span → export). Called from application threads; a span is ended once,
 * whichever thread ends it; connections' open spans are in a weak concurrent identity map.
 */
package dev.threadline.agent.bootstrap.http;
