/**
 * Servlet classes as an application writes them, outside {@code dev.threadline.agent} (which the
 * agent never instruments), for the servlet scenario: the instrumentation → SERVER span path starts
 * here. Called on Tomcat's request threads; stateless.
 */
package example.servlet;
