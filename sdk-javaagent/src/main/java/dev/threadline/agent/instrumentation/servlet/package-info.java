/**
 * Jakarta Servlet: its module and advice (data path: instrumentation → SERVER span → export), with
 * helpers in {@code dev.threadline.agent.bootstrap.http}. Advice runs on the request thread; an
 * async request's span ends on the thread that completes it.
 */
package dev.threadline.agent.instrumentation.servlet;
