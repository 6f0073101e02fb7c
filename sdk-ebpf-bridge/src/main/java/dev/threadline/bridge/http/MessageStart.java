package dev.threadline.bridge.http;

import dev.threadline.bridge.decode.ThreadStamp;

/**
 * Where a message began on the wire.
 *
 * @param seq TCP sequence number of its first byte (unsigned 32-bit)
 * @param nanos when the call that moved its first byte returned (CLOCK_MONOTONIC)
 * @param tid thread that made that call
 * @param comm name of that thread
 * @param stamp the span current on that thread during that call, or null
 */
public record MessageStart(long seq, long nanos, int tid, String comm, ThreadStamp stamp) {

  /** A start with no thread stamp. */
  public MessageStart(long seq, long nanos, int tid, String comm) {
    this(seq, nanos, tid, comm, null);
  }
}
