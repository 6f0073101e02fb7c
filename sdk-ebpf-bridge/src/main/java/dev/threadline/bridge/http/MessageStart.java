package dev.threadline.bridge.http;

/**
 * Where a message began on the wire.
 *
 * @param seq TCP sequence number of its first byte (unsigned 32-bit)
 * @param enterNanos entry time of the syscall that moved its first byte
 * @param tid thread that made that syscall
 * @param comm name of that thread
 */
public record MessageStart(long seq, long enterNanos, int tid, String comm) {}
