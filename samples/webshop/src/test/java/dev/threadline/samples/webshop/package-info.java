/**
 * Integration tests of the WebShop: the services with the agent behind the plain nginx gateway, and
 * the Kong-shaped Lua gateway alone in front of a recording upstream. They sit at the far end of
 * the data path (instrumentation → span → export): they decode the OTLP the gateway and the
 * services exported. Each test drives its processes from the JUnit thread; the collector and the
 * upstream record from their own threads into concurrent collections.
 */
package dev.threadline.samples.webshop;
