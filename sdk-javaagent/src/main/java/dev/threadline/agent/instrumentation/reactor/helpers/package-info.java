/**
 * Reactor helpers, defined next to the application's Reactor by {@code HelperClasses} (data path:
 * instrumentation → span → export): the operator hook and the subscriber that makes a
 * subscription's context current around each signal. A subscriber is used by the threads Reactor's
 * rules allow (signals serialised); it keeps no thread state after a signal.
 */
package dev.threadline.agent.instrumentation.reactor.helpers;
