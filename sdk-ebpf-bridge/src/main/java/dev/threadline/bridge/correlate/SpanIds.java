package dev.threadline.bridge.correlate;

import dev.threadline.bridge.span.SSpan;
import java.util.HexFormat;

/**
 * Ids of S spans, derived from what identifies the exchange (process, socket, request sequence,
 * start): the same exchange always gets the same ids, so a re-sent or re-assembled S span replaces
 * its first copy instead of doubling it. A salt per node keeps kernel socket addresses, which KASLR
 * keeps secret, out of the ids.
 */
final class SpanIds {
  private static final HexFormat HEX = HexFormat.of();
  private final long salt;

  SpanIds(long salt) {
    this.salt = salt;
  }

  /** 16 hex digits, never all zero. */
  String spanId(SSpan s) {
    return hex64(mix(identity(s) ^ salt));
  }

  /**
   * 32 hex digits: the id of a trace made of S spans only (a gateway hop with no application
   * evidence), derived from the request that started it.
   */
  String derivedTraceId(SSpan s) {
    long identity = identity(s);
    return hex64(mix(identity ^ salt ^ 0x5bd1e9955bd1e995L))
        + hex64(mix(identity + 0x9e3779b97f4a7c15L ^ salt));
  }

  private static long identity(SSpan s) {
    long h = s.kind().ordinal();
    h = h * 31 + s.pid();
    h = h * 0x100000001b3L ^ s.socketId();
    h = h * 0x100000001b3L ^ s.requestSeq();
    h = h * 0x100000001b3L ^ s.startNanos();
    return h;
  }

  private static long mix(long x) {
    x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
    x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x == 0 ? 1 : x;
  }

  private static String hex64(long value) {
    return HEX.toHexDigits(value);
  }
}
