package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WallClockOffsetTest {
  private static final long SECOND = 1_000_000_000L;

  /** A monotonic clock and a wall clock that advance together until the wall clock is stepped. */
  private final AtomicLong monotonic = new AtomicLong(5 * SECOND);

  private final AtomicLong wallStep = new AtomicLong();

  private Instant wall() {
    return Instant.ofEpochSecond(1_800_000_000L).plusNanos(monotonic.get() + wallStep.get());
  }

  @Test
  void theOffsetIsTheWallClockMinusTheMonotonicClock() {
    WallClockOffset offset = new WallClockOffset(SECOND, monotonic::get, this::wall);

    assertThat(offset.getAsLong()).isEqualTo(1_800_000_000L * SECOND);
  }

  @Test
  void aSteppedWallClockIsFollowedOnceTheMeasurementIsOlderThanTheRefresh() {
    WallClockOffset offset = new WallClockOffset(SECOND, monotonic::get, this::wall);
    long before = offset.getAsLong();

    wallStep.set(-250_000_000L); // the wall clock set back by a quarter of a second
    monotonic.addAndGet(SECOND / 2);
    assertThat(offset.getAsLong()).as("within the refresh interval").isEqualTo(before);

    monotonic.addAndGet(SECOND / 2);
    assertThat(offset.getAsLong()).isEqualTo(before - 250_000_000L);
  }

  @Test
  void theSystemClocksGiveTheOffsetOfThisMoment() {
    long offset = new WallClockOffset().getAsLong();
    Instant now = Instant.now();
    long nowNanos = now.getEpochSecond() * SECOND + now.getNano();

    assertThat(nowNanos - System.nanoTime() - offset).isBetween(-5_000_000L, 5_000_000L);
  }

  @Test
  void aNegativeRefreshIsRefused() {
    assertThatThrownBy(() -> new WallClockOffset(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
