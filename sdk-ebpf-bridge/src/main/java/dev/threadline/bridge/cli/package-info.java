/**
 * The command line ({@code java -jar threadline-bridge.jar trace|node}), on picocli: {@code trace}
 * runs the whole kernel data path (syscall → ring buffer → decoder → parser → S span) and prints
 * each S span as a JSON line; {@code node} hands over to the node daemon. A command line is parsed
 * and run on the calling thread; {@code trace} prints from the tracer's consumer thread, one whole
 * line at a time, and reports losses and payload cuts on stderr from its own timer thread.
 */
package dev.threadline.bridge.cli;
