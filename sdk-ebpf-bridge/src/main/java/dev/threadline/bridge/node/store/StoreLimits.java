package dev.threadline.bridge.node.store;

import java.time.Duration;

/**
 * How much a {@link TraceStore} may hold.
 *
 * @param maxBytes the estimated heap the stored spans may take; past it the oldest traces go
 * @param maxAge how long a trace is kept after its first span arrived
 * @param maxSpansPerTrace spans beyond this in one trace are rejected, so one runaway trace cannot
 *     make every insert into it slow
 */
public record StoreLimits(long maxBytes, Duration maxAge, int maxSpansPerTrace) {
  public static final long DEFAULT_MAX_BYTES = 128L * 1024 * 1024;
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(30);
  public static final int DEFAULT_MAX_SPANS_PER_TRACE = 10_000;

  public StoreLimits {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("store max bytes must be positive, was " + maxBytes);
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("store max age must be positive, was " + maxAge);
    }
    if (maxSpansPerTrace <= 0) {
      throw new IllegalArgumentException(
          "max spans per trace must be positive, was " + maxSpansPerTrace);
    }
  }

  public static StoreLimits defaults() {
    return new StoreLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE, DEFAULT_MAX_SPANS_PER_TRACE);
  }
}
