package dev.threadline.bridge.ringbuf;

/**
 * One way of draining the BPF ring buffer; each record is handed to the sink given at creation.
 * Production uses {@link MappedRingReader}; the libbpf-callback reader it was measured against
 * lives with RingReaderBenchmark in the test sources.
 */
public interface RingReader extends AutoCloseable {

  /**
   * Waits up to {@code timeoutMs} for data, consumes every available record; returns the count, or
   * a negative errno.
   */
  int poll(int timeoutMs);

  /** Consumes every available record without waiting; returns the count. */
  int drain();

  @Override
  void close();
}
