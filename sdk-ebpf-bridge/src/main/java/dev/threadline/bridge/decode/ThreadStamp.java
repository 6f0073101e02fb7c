package dev.threadline.bridge.decode;

import java.util.HexFormat;
import java.util.Objects;

/**
 * The span that was current on the thread that made a send or receive, as the thread published it
 * in its process's thread-context region and the BPF program read it during the call (see
 * src/main/bpf/thread_context.h). Immutable.
 *
 * @param traceId 32 lower-case hex digits (W3C trace id)
 * @param spanId 16 lower-case hex digits
 * @param traceFlags W3C trace flags (bit 0: sampled)
 */
public record ThreadStamp(String traceId, String spanId, int traceFlags) {
  private static final HexFormat HEX = HexFormat.of();

  public ThreadStamp {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    if (traceId.length() != 32 || spanId.length() != 16) {
      throw new IllegalArgumentException("trace id " + traceId + ", span id " + spanId);
    }
  }

  /** Whether the span was sampled (W3C flag 0x01). */
  public boolean sampled() {
    return (traceFlags & 1) != 0;
  }

  /** The stamp of a raw record, or null when the event carries none. */
  static ThreadStamp of(byte[] record) {
    if (record[EventLayout.STAMPED] != 1) {
      return null;
    }
    return new ThreadStamp(
        HEX.formatHex(record, EventLayout.TRACE_ID, EventLayout.TRACE_ID + 16),
        HEX.formatHex(record, EventLayout.SPAN_ID, EventLayout.SPAN_ID + 8),
        Byte.toUnsignedInt(record[EventLayout.TRACE_FLAGS]));
  }
}
