package dev.threadline.bridge.decode;

/**
 * Byte offsets of struct tl_event in src/main/bpf/socket_trace.h. EventLayoutTest checks each
 * constant against the header's _Static_assert lines, which clang checks against the struct.
 */
public final class EventLayout {
  public static final int TS_NS = 0;
  public static final int SOCK_ID = 8;
  public static final int BYTES = 16;
  public static final int PID = 24;
  public static final int TID = 28;
  public static final int FD = 32;
  public static final int SEQ = 36;
  public static final int CAPTURED = 40;
  public static final int TYPE = 44;
  public static final int SYSCALL = 46;
  public static final int DIRECTION = 48;
  public static final int FAMILY = 50;
  public static final int LPORT = 52;
  public static final int RPORT = 54;
  public static final int LADDR = 56;
  public static final int RADDR = 72;
  public static final int COMM = 88;
  public static final int TRACE_ID = 104;
  public static final int SPAN_ID = 120;
  public static final int TRACE_FLAGS = 128;
  public static final int STAMPED = 129;
  public static final int PEER_SEQ = 132;

  /** sizeof(struct tl_event); the payload starts here. */
  public static final int HEADER_SIZE = 136;

  public static final int TYPE_DATA = 1;
  public static final int TYPE_ACCEPT = 2;
  public static final int TYPE_CONNECT = 3;
  public static final int TYPE_CLOSE = 4;

  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  private EventLayout() {}
}
