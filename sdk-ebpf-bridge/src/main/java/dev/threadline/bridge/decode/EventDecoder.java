package dev.threadline.bridge.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Turns a raw struct tl_event record (see socket_trace.h) into a {@link SocketEvent}. */
public final class EventDecoder {

    private EventDecoder() {}

    /** Decodes one record; throws {@link IllegalArgumentException} on a malformed one. */
    public static SocketEvent decode(byte[] record) {
        if (record.length < EventLayout.HEADER_SIZE) {
            throw new IllegalArgumentException("record of " + record.length + " bytes, header is " + EventLayout.HEADER_SIZE);
        }
        // The BPF side writes in the kernel's byte order, which is the host's.
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
        int captured = b.getInt(EventLayout.CAPTURED);
        if (captured < 0 || EventLayout.HEADER_SIZE + captured > record.length) {
            throw new IllegalArgumentException("captured=" + captured + " exceeds record of " + record.length);
        }
        int family = Short.toUnsignedInt(b.getShort(EventLayout.FAMILY));
        Endpoint local = new Endpoint(address(record, EventLayout.LADDR, family), Short.toUnsignedInt(b.getShort(EventLayout.LPORT)));
        Endpoint remote = new Endpoint(address(record, EventLayout.RADDR, family), Short.toUnsignedInt(b.getShort(EventLayout.RPORT)));
        EventType type = EventType.of(Short.toUnsignedInt(b.getShort(EventLayout.TYPE)));
        Direction direction = b.getShort(EventLayout.DIRECTION) == 0 ? Direction.EGRESS : Direction.INGRESS;
        return new SocketEvent(type, Syscall.of(Short.toUnsignedInt(b.getShort(EventLayout.SYSCALL))), direction,
                b.getInt(EventLayout.PID), b.getInt(EventLayout.TID), comm(record), b.getInt(EventLayout.FD),
                b.getLong(EventLayout.SOCK_ID), local, remote, b.getLong(EventLayout.ENTER_NS), b.getLong(EventLayout.EXIT_NS),
                b.getLong(EventLayout.BYTES), Integer.toUnsignedLong(b.getInt(EventLayout.SEQ)),
                Arrays.copyOfRange(record, EventLayout.HEADER_SIZE, EventLayout.HEADER_SIZE + captured));
    }

    private static InetAddress address(byte[] record, int offset, int family) {
        int length = family == EventLayout.AF_INET ? 4 : 16;
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(record, offset, offset + length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length", e); // cannot happen for 4 or 16 bytes
        }
    }

    private static String comm(byte[] record) {
        int end = EventLayout.COMM;
        while (end < EventLayout.COMM + 16 && record[end] != 0) {
            end++;
        }
        return new String(record, EventLayout.COMM, end - EventLayout.COMM, StandardCharsets.UTF_8);
    }
}
