package dev.threadline.bridge.decode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Turns a raw struct tl_event record (see socket_trace.h) into a {@link SocketEvent}. */
public final class EventDecoder {
  // The BPF side writes in the kernel's byte order, which is the host's.
  private static final VarHandle SHORTS =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final Direction[] DIRECTIONS = Direction.values();

  private EventDecoder() {}

  /**
   * Decodes one record, which the event keeps as its storage: the caller must not change it
   * afterwards. Throws {@link IllegalArgumentException} on a malformed record.
   */
  public static SocketEvent decode(byte[] record) {
    if (record.length < EventLayout.HEADER_SIZE) {
      throw new IllegalArgumentException(
          "record of " + record.length + " bytes, header is " + EventLayout.HEADER_SIZE);
    }
    int captured = i32(record, EventLayout.CAPTURED);
    if (captured < 0 || captured > record.length - EventLayout.HEADER_SIZE) {
      throw new IllegalArgumentException(
          "captured=" + captured + " exceeds record of " + record.length);
    }
    int family = u16(record, EventLayout.FAMILY);
    if (family != EventLayout.AF_INET && family != EventLayout.AF_INET6) {
      throw new IllegalArgumentException("address family " + family);
    }
    int direction = u16(record, EventLayout.DIRECTION);
    if (direction >= DIRECTIONS.length) {
      throw new IllegalArgumentException("direction " + direction);
    }
    return new SocketEvent(
        EventType.of(u16(record, EventLayout.TYPE)),
        Syscall.of(u16(record, EventLayout.SYSCALL)),
        DIRECTIONS[direction],
        i32(record, EventLayout.PID),
        i32(record, EventLayout.TID),
        i32(record, EventLayout.FD),
        i64(record, EventLayout.SOCK_ID),
        i64(record, EventLayout.TS_NS),
        i64(record, EventLayout.BYTES),
        Integer.toUnsignedLong(i32(record, EventLayout.SEQ)),
        Integer.toUnsignedLong(i32(record, EventLayout.PEER_SEQ)),
        record,
        EventLayout.HEADER_SIZE,
        captured,
        record);
  }

  static int u16(byte[] record, int offset) {
    return Short.toUnsignedInt((short) SHORTS.get(record, offset));
  }

  private static int i32(byte[] record, int offset) {
    return (int) INTS.get(record, offset);
  }

  private static long i64(byte[] record, int offset) {
    return (long) LONGS.get(record, offset);
  }
}
