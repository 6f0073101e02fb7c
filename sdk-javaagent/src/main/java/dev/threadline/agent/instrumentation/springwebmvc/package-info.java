/**
 * Spring Web MVC: its module and advice (data path: instrumentation → route on the SERVER span and
 * an\n * INTERNAL controller span → export), with helpers in {@code\n *
 * dev.threadline.agent.bootstrap.springwebmvc}. Advice runs on the request thread.
 */
package dev.threadline.agent.instrumentation.springwebmvc;
