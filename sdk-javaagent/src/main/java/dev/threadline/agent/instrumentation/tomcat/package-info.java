/**
 * Tomcat's connector: keeps the servlet instrumentation's SERVER span open and current while Tomcat
 * writes the end of the response (data path: instrumentation → SERVER span → export; the kernel
 * side sees the response's bytes leave inside the span). Advice runs on the request thread.
 */
package dev.threadline.agent.instrumentation.tomcat;
