/**
 * Step 1 of the data path: libbpf bindings (jnr-ffi), preflight checks, tracefs, loading and
 * attaching the committed socket_trace.bpf.o, and the one-line failures when that is impossible.
 */
package dev.threadline.bridge.loader;
