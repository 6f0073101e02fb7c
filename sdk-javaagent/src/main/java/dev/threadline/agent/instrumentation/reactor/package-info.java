/**
 * Reactor: the module that installs the context-propagating operator hook (data path:
 * instrumentation → span → export; it makes no span itself). The advice runs once per application
 * loader, on the thread that initialises {@code Hooks}.
 */
package dev.threadline.agent.instrumentation.reactor;
