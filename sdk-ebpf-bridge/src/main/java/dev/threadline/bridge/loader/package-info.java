/**
 * Step 1 of the data path: libbpf bindings (jnr-ffi), preflight checks, loading and attaching the
 * committed socket_trace.bpf.o, its filters (the mapped pid bitmap), and the one-line failures when
 * that is impossible.
 */
package dev.threadline.bridge.loader;
