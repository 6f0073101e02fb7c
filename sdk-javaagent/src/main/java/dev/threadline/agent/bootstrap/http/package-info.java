/**
 * HTTP span helpers on the bootstrap class path, shared by the servlet, Spring MVC and HTTP
 * client\n * instrumentations: SERVER spans of incoming requests, CLIENT spans of outgoing ones
 * (data path:\n * instrumentation → span → export). Called from application threads; a span is
 * ended once,\n * whichever thread ends it.
 */
package dev.threadline.agent.bootstrap.http;
