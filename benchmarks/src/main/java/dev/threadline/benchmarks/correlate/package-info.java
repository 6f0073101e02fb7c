/**
 * JMH benchmark and heap measurement of the correlator (S span → correlator → store) with the
 * WebShop's traffic, generated here: S spans, A-span exports and sweeps replayed in arrival order
 * on one thread into a fresh store and correlator per invocation, and checked afterwards. Each
 * state is used by one JMH thread.
 */
package dev.threadline.benchmarks.correlate;
