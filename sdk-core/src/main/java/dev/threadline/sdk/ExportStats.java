package dev.threadline.sdk;

/**
 * A snapshot of what happened to finished spans: exported, lost to a failing backend, dropped by a
 * full queue, or still waiting in the queue.
 */
public final class ExportStats {
  private final long exported;
  private final long failed;
  private final long dropped;
  private final long queued;

  ExportStats(long exported, long failed, long dropped, long queued) {
    this.exported = exported;
    this.failed = failed;
    this.dropped = dropped;
    this.queued = queued;
  }

  /** Spans the backend accepted. */
  public long exportedSpans() {
    return exported;
  }

  /** Spans whose export failed (backend unreachable, refused, timed out). */
  public long failedSpans() {
    return failed;
  }

  /** Spans dropped because the bounded queue was full (or the SDK was shut down). */
  public long droppedSpans() {
    return dropped;
  }

  /** Spans waiting in the queue now. */
  public long queuedSpans() {
    return queued;
  }

  @Override
  public String toString() {
    return "ExportStats{exported="
        + exported
        + ", failed="
        + failed
        + ", dropped="
        + dropped
        + ", queued="
        + queued
        + "}";
  }
}
