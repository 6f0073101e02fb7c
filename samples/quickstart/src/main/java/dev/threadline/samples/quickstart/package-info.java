/**
 * The library quickstart (A spans only): the same checkout request twice against a tiny shop
 * server, once on a plain thread pool (the chain breaks) and once on a pool wrapped with {@code
 * ContextExecutors} (one trace); the spans are collected in process and printed as trees. Runs on
 * the main thread and the pools' threads.
 */
package dev.threadline.samples.quickstart;
