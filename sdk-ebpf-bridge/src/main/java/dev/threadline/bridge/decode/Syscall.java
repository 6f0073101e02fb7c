package dev.threadline.bridge.decode;

/** enum tl_syscall: the call that moved the bytes (the code is the ordinal). */
public enum Syscall {
  /**
   * Another call (io_uring, splice, sendmmsg), a kernel thread, or the TCP stack itself: bytes, no
   * payload.
   */
  NONE,
  READ,
  WRITE,
  READV,
  WRITEV,
  SENDTO,
  RECVFROM,
  SENDMSG,
  RECVMSG,
  CONNECT,
  /** sendfile(2): counted, never captured. */
  SENDFILE;

  private static final Syscall[] BY_CODE = values();

  static Syscall of(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("unknown syscall code " + code);
    }
    return BY_CODE[code];
  }
}
