package dev.threadline.bridge.decode;

/**
 * Byte offsets of struct tl_event in src/main/bpf/socket_trace.h. EventLayoutTest checks each
 * constant against the header's _Static_assert lines, which clang checks against the struct.
 */
public final class EventLayout {
    public static final int ENTER_NS = 0;
    public static final int EXIT_NS = 8;
    public static final int SOCK_ID = 16;
    public static final int BYTES = 24;
    public static final int PID = 32;
    public static final int TID = 36;
    public static final int FD = 40;
    public static final int SEQ = 44;
    public static final int CAPTURED = 48;
    public static final int TYPE = 52;
    public static final int SYSCALL = 54;
    public static final int DIRECTION = 56;
    public static final int FAMILY = 58;
    public static final int LPORT = 60;
    public static final int RPORT = 62;
    public static final int LADDR = 64;
    public static final int RADDR = 80;
    public static final int COMM = 96;
    /** sizeof(struct tl_event); the payload starts here. */
    public static final int HEADER_SIZE = 112;

    public static final int TYPE_DATA = 1;
    public static final int TYPE_ACCEPT = 2;
    public static final int TYPE_CONNECT = 3;
    public static final int TYPE_CLOSE = 4;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    private EventLayout() {}
}
