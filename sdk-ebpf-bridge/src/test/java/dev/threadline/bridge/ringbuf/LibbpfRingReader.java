package dev.threadline.bridge.ringbuf;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.FailureReason;
import dev.threadline.bridge.loader.LibBpf;
import java.util.function.Consumer;
import jnr.ffi.LastError;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The baseline the production reader ({@link MappedRingReader}) was measured against: libbpf's
 * {@code ring_buffer__poll}/{@code ring_buffer__consume} with one native-to-Java callback per
 * record. RingReaderBenchmark: about 170 ns per record here, against about 20 ns for the mapped
 * reader, so production uses the mapped reader; this one stays for the comparison and its test.
 */
public final class LibbpfRingReader implements RingReader {
  private final LibBpf bpf;
  private final Pointer ring;
  // Held in a field: libbpf keeps only a native pointer to the callback trampoline.
  private final LibBpf.SampleCallback callback;
  private boolean closed;

  public LibbpfRingReader(LibBpf bpf, int mapFd, Consumer<byte[]> sink)
      throws BridgeUnavailableException {
    this.bpf = bpf;
    this.callback =
        (ctx, data, size) -> {
          byte[] record = new byte[(int) size];
          data.get(0, record, 0, record.length);
          sink.accept(record);
          return 0;
        };
    this.ring = bpf.ring_buffer__new(mapFd, callback, null, null);
    if (ring == null) {
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "ring_buffer__new failed (errno "
              + LastError.getLastError(Runtime.getRuntime(bpf))
              + ")");
    }
  }

  /**
   * ring_buffer__poll consumes only after a wake-up, and the BPF side wakes the reader once per
   * batch: like the mapped reader, consume what a quiet period left behind when the wait times out.
   */
  @Override
  public int poll(int timeoutMs) {
    int n = bpf.ring_buffer__poll(ring, timeoutMs);
    return n == 0 ? bpf.ring_buffer__consume(ring) : n;
  }

  @Override
  public int drain() {
    return bpf.ring_buffer__consume(ring);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      bpf.ring_buffer__free(ring);
    }
  }
}
