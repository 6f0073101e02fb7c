package dev.threadline.bridge.ringbuf;

import com.kenai.jffi.MemoryIO;
import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.FailureReason;
import dev.threadline.bridge.loader.LibC;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Drains the ring buffer by reading its memory directly, as libbpf does internally, without a
 * native-to-Java callback per record.
 *
 * <p>Layout (kernel/bpf/ringbuf.c): page 0 holds the consumer position (ours to write), page 1 the
 * producer position (read-only), then the data area mapped twice in a row so that a record that
 * wraps around is still contiguous. Each record has an 8-byte header: a 32-bit length with a BUSY
 * bit (still being written) and a DISCARD bit, and a page offset; records are 8-byte aligned.
 * Positions and headers are read with acquire and the consumer position written with release
 * semantics, through VarHandles over direct buffers.
 */
public final class MappedRingReader implements RingReader {
  private static final int BUSY = 1 << 31;
  private static final int DISCARD = 1 << 30;
  private static final int HEADER = 8;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private final LibC libc;
  private final Consumer<byte[]> sink;
  private final int fd;
  private final long mask;
  private final Pointer consumerMap;
  private final long consumerMapLength;
  private final Pointer producerMap;
  private final long producerMapLength;
  private final ByteBuffer consumer;
  private final ByteBuffer producer;
  private final ByteBuffer data;
  private final Pointer pollFd;
  private boolean closed;

  /** Maps the ring buffer map {@code fd} whose data area is {@code size} bytes (a power of two). */
  public MappedRingReader(LibC libc, int fd, int size, Consumer<byte[]> sink)
      throws BridgeUnavailableException {
    this.libc = libc;
    this.sink = sink;
    this.fd = fd;
    this.mask = size - 1L;
    int page = libc.getpagesize();
    Runtime runtime = Runtime.getRuntime(libc);
    consumerMapLength = page;
    consumerMap = map(libc, runtime, consumerMapLength, LibC.PROT_READ | LibC.PROT_WRITE, fd, 0);
    producerMapLength = page + 2L * size;
    Pointer p;
    try {
      p = map(libc, runtime, producerMapLength, LibC.PROT_READ, fd, page);
    } catch (BridgeUnavailableException e) {
      libc.munmap(consumerMap, consumerMapLength);
      throw e;
    }
    producerMap = p;
    MemoryIO io = MemoryIO.getInstance();
    consumer = io.newDirectByteBuffer(consumerMap.address(), 8).order(ByteOrder.nativeOrder());
    producer = io.newDirectByteBuffer(producerMap.address(), 8).order(ByteOrder.nativeOrder());
    data =
        io.newDirectByteBuffer(producerMap.address() + page, 2 * size)
            .order(ByteOrder.nativeOrder());
    pollFd = Memory.allocateDirect(runtime, 8);
  }

  private static Pointer map(LibC libc, Runtime runtime, long length, int prot, int fd, long offset)
      throws BridgeUnavailableException {
    Pointer p = libc.mmap(null, length, prot, LibC.MAP_SHARED, fd, offset);
    if (p == null || p.address() == -1L) {
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "cannot mmap the ring buffer (" + libc.strerror(LastError.getLastError(runtime)) + ")");
    }
    return p;
  }

  /** Waits for records and consumes them; 0 once closed (the mappings are gone). */
  @Override
  public synchronized int poll(int timeoutMs) {
    if (closed) {
      return 0;
    }
    if (!available()) {
      pollFd.putInt(0, fd);
      pollFd.putShort(4, LibC.POLLIN);
      pollFd.putShort(6, (short) 0);
      int rc = libc.poll(pollFd, 1, timeoutMs);
      if (rc < 0) {
        int errno = LastError.getLastError(Runtime.getRuntime(libc));
        return errno == 4 ? 0 : -errno; // EINTR is a normal wake-up
      }
    }
    return drain();
  }

  private boolean available() {
    return (long) LONGS.getAcquire(producer, 0) != (long) LONGS.getOpaque(consumer, 0);
  }

  /** Consumes every available record; 0 once closed (the mappings are gone). */
  @Override
  public synchronized int drain() {
    if (closed) {
      return 0;
    }
    long consumed = (long) LONGS.getOpaque(consumer, 0);
    long produced = (long) LONGS.getAcquire(producer, 0);
    int count = 0;
    while (consumed < produced) {
      int offset = (int) (consumed & mask);
      int header = (int) INTS.getAcquire(data, offset);
      if ((header & BUSY) != 0) {
        break; // the producer has reserved but not committed this record yet
      }
      int length = header & ~(BUSY | DISCARD);
      if ((header & DISCARD) == 0) {
        byte[] record = new byte[length];
        data.get(offset + HEADER, record, 0, length);
        sink.accept(record);
        count++;
      }
      consumed += (length + HEADER + 7) & ~7L;
      // Publish progress per record so the producer can reuse the space immediately.
      LONGS.setRelease(consumer, 0, consumed);
      if (consumed == produced) {
        produced = (long) LONGS.getAcquire(producer, 0);
      }
    }
    return count;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      libc.munmap(producerMap, producerMapLength);
      libc.munmap(consumerMap, consumerMapLength);
    }
  }
}
