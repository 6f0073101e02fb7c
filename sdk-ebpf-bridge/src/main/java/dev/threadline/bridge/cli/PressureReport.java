package dev.threadline.bridge.cli;

import dev.threadline.bridge.loader.PayloadReductions;

/**
 * The {@code trace} command's stderr lines about a filling ring buffer: events lost (ring buffer
 * full) and sends or receives whose payload was cut to keep the events. {@link #update} says
 * something only when a count grew since the last line.
 */
final class PressureReport {
  private long lost;
  private long head;
  private long none;

  /** The line for these counts while tracing, or null when none grew since the last line. */
  String update(long lostNow, PayloadReductions reducedNow) {
    if (lostNow <= lost && reducedNow.head() <= head && reducedNow.none() <= none) {
      return null;
    }
    lost = Math.max(lost, lostNow);
    head = Math.max(head, reducedNow.head());
    none = Math.max(none, reducedNow.none());
    return "threadline-bridge: " + describe(lost, head, none, " so far");
  }

  /** The final line when tracing stops, or null when nothing was ever lost or cut. */
  static String summary(long lost, PayloadReductions reduced) {
    if (lost <= 0 && reduced.head() <= 0 && reduced.none() <= 0) {
      return null;
    }
    return "threadline-bridge: "
        + describe(Math.max(0, lost), Math.max(0, reduced.head()), Math.max(0, reduced.none()), "");
  }

  private static String describe(long lost, long head, long none, String when) {
    return lost
        + " events lost"
        + when
        + " (ring buffer full); payload cut to keep the events: "
        + head
        + " to a head, "
        + none
        + " to none";
  }
}
