package dev.threadline.bridge.loader;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/**
 * The libc calls the bridge needs: formatting libbpf's log lines, and mapping BPF maps (the ring
 * buffer, the pid filter) into memory.
 */
public interface LibC {
  int PROT_READ = 1;
  int PROT_WRITE = 2;
  int MAP_SHARED = 1;
  short POLLIN = 1;

  int vsnprintf(Pointer buffer, @size_t long size, Pointer format, Pointer args);

  String strerror(int errno);

  @SaveError
  Pointer mmap(Pointer address, @size_t long length, int prot, int flags, int fd, long offset);

  int munmap(Pointer address, @size_t long length);

  /** {@code fds} points to {@code count} 8-byte {@code struct pollfd}. */
  @SaveError
  int poll(Pointer fds, long count, int timeoutMs);

  int getpagesize();
}
