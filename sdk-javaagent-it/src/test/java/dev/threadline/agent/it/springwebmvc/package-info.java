/**
 * The Spring Web MVC instrumentation's IT, on the Spring Boot test application run with the agent
 * (instrumentation → route and controller span → export, checked at the test collector). Tests run
 * one at a time.
 */
package dev.threadline.agent.it.springwebmvc;
