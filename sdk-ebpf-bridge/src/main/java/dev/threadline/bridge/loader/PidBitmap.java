package dev.threadline.bridge.loader;

import com.kenai.jffi.MemoryIO;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The `pids` map of socket_trace.bpf.c, mapped into this process: one bit per tgid. The BPF side
 * sets the bits of listed processes' new children and clears those of exited ones while we add
 * pids, so bits are changed with atomic operations on the shared words, never by a
 * read-modify-write through the map syscalls.
 */
final class PidBitmap implements AutoCloseable {
  /** TL_PID_BITMAP_WORDS in socket_trace.h: 2^22 pids, PID_MAX_LIMIT on 64-bit Linux. */
  static final int WORDS = 65536;

  static final int MAX_PID = WORDS * 64 - 1;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final LibC libc;
  private final Pointer mapping;
  private final ByteBuffer words;
  private boolean closed;

  PidBitmap(LibC libc, int mapFd) throws BridgeUnavailableException {
    this.libc = libc;
    Pointer p =
        libc.mmap(null, WORDS * 8L, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, mapFd, 0);
    if (p == null || p.address() == -1L) {
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "cannot mmap the pid filter ("
              + libc.strerror(LastError.getLastError(Runtime.getRuntime(libc)))
              + ")");
    }
    this.mapping = p;
    this.words =
        MemoryIO.getInstance()
            .newDirectByteBuffer(p.address(), WORDS * 8)
            .order(ByteOrder.nativeOrder());
  }

  synchronized void add(int pid) {
    check(pid);
    LONGS.getAndBitwiseOr(words, (pid >>> 6) * 8, 1L << (pid & 63));
  }

  synchronized boolean contains(int pid) {
    check(pid);
    return ((long) LONGS.getVolatile(words, (pid >>> 6) * 8) & (1L << (pid & 63))) != 0;
  }

  private void check(int pid) {
    if (closed) {
      throw new IllegalStateException("the pid filter is closed");
    }
    if (pid <= 0 || pid > MAX_PID) {
      throw new IllegalArgumentException("not a pid: " + pid);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      libc.munmap(mapping, WORDS * 8L);
    }
  }
}
