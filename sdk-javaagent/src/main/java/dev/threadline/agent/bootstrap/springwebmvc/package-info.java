/**
 * The Spring Web MVC instrumentation's helper on the bootstrap class path: the INTERNAL span around
 * a controller call (data path: instrumentation → span → export). Called on the request thread,
 * which opens and closes the span's scope.
 */
package dev.threadline.agent.bootstrap.springwebmvc;
