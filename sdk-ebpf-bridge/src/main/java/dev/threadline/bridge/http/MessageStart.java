package dev.threadline.bridge.http;

/**
 * Where a message began on the wire.
 *
 * @param seq TCP sequence number of its first byte (unsigned 32-bit)
 * @param nanos when the call that moved its first byte returned (CLOCK_MONOTONIC)
 * @param tid thread that made that call
 * @param comm name of that thread
 */
public record MessageStart(long seq, long nanos, int tid, String comm) {}
