/**
 * Spring Web MVC: its module and advice (data path: instrumentation → route on the SERVER span and
 * an
 * INTERNAL controller span → export), with helpers in {@code
 *
 * dev.threadline.agent.bootstrap.springwebmvc}. Advice runs on the request thread.
 */
package dev.threadline.agent.instrumentation.springwebmvc;
