/**
 * The Log4j2 application ({@code sdk-javaagent-it-apps/log4j2}) with the agent: its log lines name
 * the span current where they were logged (instrumentation → span → the application's log lines).
 * One application JVM per test.
 */
package dev.threadline.agent.it.log4j2;
