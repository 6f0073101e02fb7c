package dev.threadline.bridge.span;

import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The offset from CLOCK_MONOTONIC (the BPF timestamps' clock, {@link System#nanoTime}) to the wall
 * clock, measured again once it is older than the refresh interval. A node runs for days while NTP
 * slews the wall clock and a resumed virtual machine steps it; the SDKs time their spans on the
 * wall clock as it is then, so an offset taken once at start drifts away from theirs and the time
 * checks that join S spans to A spans fail. Safe for use by several threads.
 */
public final class WallClockOffset implements LongSupplier {
  /** How old a measurement may get before it is taken again. */
  public static final long DEFAULT_REFRESH_NANOS = 1_000_000_000L;

  private final long refreshNanos;
  private final LongSupplier monotonic;
  private final Supplier<Instant> wall;
  private volatile long offset;
  private volatile long measuredAt;

  /**
   * @param refreshNanos how old a measurement may get before it is taken again (0: every call)
   */
  public WallClockOffset(long refreshNanos) {
    this(refreshNanos, System::nanoTime, Instant::now);
  }

  /** Reads the given clocks instead of the system's (tests step them). */
  WallClockOffset(long refreshNanos, LongSupplier monotonic, Supplier<Instant> wall) {
    if (refreshNanos < 0) {
      throw new IllegalArgumentException("refresh must not be negative, was " + refreshNanos);
    }
    this.refreshNanos = refreshNanos;
    this.monotonic = monotonic;
    this.wall = wall;
    this.measuredAt = monotonic.getAsLong();
    this.offset = measure(monotonic, wall);
  }

  /** Refreshed once a second. */
  public WallClockOffset() {
    this(DEFAULT_REFRESH_NANOS);
  }

  /** Epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds, at most the refresh interval old. */
  @Override
  public long getAsLong() {
    long now = monotonic.getAsLong();
    if (now - measuredAt >= refreshNanos) {
      offset = measure(monotonic, wall);
      measuredAt = now;
    }
    return offset;
  }

  /**
   * Offset between the wall clock and CLOCK_MONOTONIC right now, to the microsecond: the wall clock
   * read as an {@link Instant} (not in whole milliseconds), taken from the tightest of a few
   * readings so that S spans line up with the A spans an SDK timed on the same host.
   */
  public static long measure() {
    return measure(System::nanoTime, Instant::now);
  }

  private static long measure(LongSupplier monotonic, Supplier<Instant> wall) {
    long best = 0;
    long tightest = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long before = monotonic.getAsLong();
      Instant now = wall.get();
      long after = monotonic.getAsLong();
      if (after - before < tightest) {
        tightest = after - before;
        best = now.getEpochSecond() * 1_000_000_000L + now.getNano() - (before + after) / 2;
      }
    }
    return best;
  }
}
