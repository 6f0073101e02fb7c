/**
 * JMH benchmarks of the context-switch hook and of thread-context publication (attach + restore
 * with a span), each beside plain OpenTelemetry and, for publication, beside one ioctl syscall per
 * switch. Each mode runs in its own fork, since the hook is JVM-global; the setup checks that the
 * storage in use is the one the mode names.
 */
package dev.threadline.benchmarks.context;
