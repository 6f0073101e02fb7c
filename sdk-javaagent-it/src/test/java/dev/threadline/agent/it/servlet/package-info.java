/**
 * The servlet instrumentation's IT and its scenario, an embedded Tomcat run with the agent in a JVM
 * of its own (instrumentation → SERVER span → export, checked at the test collector). Tests run one
 * at a time; the scenario JVM serves requests on Tomcat's threads.
 */
package dev.threadline.agent.it.servlet;
