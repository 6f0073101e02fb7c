/**
 * {@code java.net.http.HttpClient}: its module and advice (data path: instrumentation → CLIENT span
 * → export), with helpers in {@code dev.threadline.agent.bootstrap.http}. Advice runs on the
 * calling thread; an async call's span ends on the thread completing its future.
 */
package dev.threadline.agent.instrumentation.javahttpclient;
