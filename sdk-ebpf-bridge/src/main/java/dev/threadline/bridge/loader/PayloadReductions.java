package dev.threadline.bridge.loader;

/**
 * Sends and receives whose payload the BPF program cut because the ring buffer was filling up; the
 * events themselves (sizes, sequence numbers, sockets) were kept.
 *
 * @param head captured only their first {@link SocketTraceProgram#PRESSURE_HEAD_CAPTURE} bytes
 *     (more than half the ring was pending)
 * @param none captured no payload (more than 85% of the ring was pending)
 */
public record PayloadReductions(long head, long none) {
  /** Both counts together. */
  public long total() {
    return head + none;
  }
}
