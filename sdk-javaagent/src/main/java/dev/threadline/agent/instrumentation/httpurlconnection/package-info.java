/**
 * {@code HttpURLConnection}: its module and advice (data path: instrumentation → CLIENT span →
 *
 * <p>export), with helpers in {@code dev.threadline.agent.bootstrap.http}. Advice is inlined into
 * the JDK's connection class and runs on the calling thread; the open span is kept per connection.
 */
package dev.threadline.agent.instrumentation.httpurlconnection;
