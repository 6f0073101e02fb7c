/**
 * {@code java.net.http.HttpClient}: its module and advice (data path: instrumentation → CLIENT span
 * →\n * export), with helpers in {@code dev.threadline.agent.bootstrap.http}. Advice runs on the
 * calling\n * thread; an async call's span ends on the thread completing its future.
 */
package dev.threadline.agent.instrumentation.javahttpclient;
