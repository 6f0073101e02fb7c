/** Tests of the Reactor helpers on real Reactor, without the agent. */
package dev.threadline.agent.instrumentation.reactor.helpers;
