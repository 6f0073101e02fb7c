/**
 * Step 1 of the data path: libbpf bindings (jnr-ffi), preflight checks, loading and attaching the
 * committed socket_trace.bpf.o, its filters (the mapped pid bitmap), and the one-line failures when
 * that is impossible; the kernel side's counters (events lost, payloads cut under pressure) are
 * read from its maps on demand, from any thread (each read is one map lookup, under the object's
 * lock).
 */
package dev.threadline.bridge.loader;
