package dev.threadline.bridge.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventDecoderTest {

  @Test
  void decodesEveryHeaderFieldAndThePayload() {
    byte[] payload = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = record(EventLayout.AF_INET, payload.length);
    b.putLong(EventLayout.TS_NS, 2000)
        .putLong(EventLayout.SOCK_ID, 0xffff8881_0000_1234L)
        .putLong(EventLayout.BYTES, 4096)
        .putInt(EventLayout.PID, 42)
        .putInt(EventLayout.TID, 43)
        .putInt(EventLayout.FD, 7)
        .putInt(EventLayout.SEQ, 0xF000_0001)
        .putInt(EventLayout.PEER_SEQ, 0xE000_0002)
        .putShort(EventLayout.TYPE, (short) 1)
        .putShort(EventLayout.SYSCALL, (short) 4)
        .putShort(EventLayout.DIRECTION, (short) 1)
        .putShort(EventLayout.LPORT, (short) 8080)
        .putShort(EventLayout.RPORT, (short) 50000);
    b.put(EventLayout.LADDR, new byte[] {127, 0, 0, 1}, 0, 4)
        .put(EventLayout.RADDR, new byte[] {10, 1, 2, 3}, 0, 4);
    b.put(EventLayout.COMM, "nginx".getBytes(StandardCharsets.US_ASCII));
    b.put(EventLayout.HEADER_SIZE, payload);

    SocketEvent e = EventDecoder.decode(b.array());

    assertThat(e.type()).isEqualTo(EventType.DATA);
    assertThat(e.syscall()).isEqualTo(Syscall.WRITEV);
    assertThat(e.direction()).isEqualTo(Direction.INGRESS);
    assertThat(e.pid()).isEqualTo(42);
    assertThat(e.tid()).isEqualTo(43);
    assertThat(e.fd()).isEqualTo(7);
    assertThat(e.comm()).isEqualTo("nginx");
    assertThat(e.sockId()).isEqualTo(0xffff8881_0000_1234L);
    assertThat(e.nanos()).isEqualTo(2000);
    assertThat(e.bytes()).isEqualTo(4096);
    assertThat(e.seq()).as("unsigned").isEqualTo(0xF000_0001L);
    assertThat(e.peerSeq()).as("unsigned").isEqualTo(0xE000_0002L);
    assertThat(e.local().toString()).isEqualTo("127.0.0.1:8080");
    assertThat(e.remote().toString()).isEqualTo("10.1.2.3:50000");
    assertThat(e.payload()).isEqualTo(payload);
    assertThat(e.stamp()).as("no thread-context stamp in this record").isNull();
  }

  @Test
  void decodesTheThreadContextStampOfADataEvent() {
    ByteBuffer b = record(EventLayout.AF_INET, 0);
    b.putShort(EventLayout.TYPE, (short) EventLayout.TYPE_DATA);
    byte[] traceId = java.util.HexFormat.of().parseHex("4bf92f3577b34da6a3ce929d0e0e4736");
    byte[] spanId = java.util.HexFormat.of().parseHex("00f067aa0ba902b7");
    b.put(EventLayout.TRACE_ID, traceId).put(EventLayout.SPAN_ID, spanId);
    b.put(EventLayout.TRACE_FLAGS, (byte) 1);

    assertThat(EventDecoder.decode(b.array()).stamp())
        .as("ids present but not marked stamped: not trusted")
        .isNull();

    b.put(EventLayout.STAMPED, (byte) 1);
    ThreadStamp stamp = EventDecoder.decode(b.array()).stamp();
    assertThat(stamp.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(stamp.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(stamp.traceFlags()).isEqualTo(1);
    assertThat(stamp.sampled()).isTrue();

    b.putShort(EventLayout.TYPE, (short) EventLayout.TYPE_CLOSE);
    assertThat(EventDecoder.decode(b.array()).stamp()).as("lifecycle events carry none").isNull();
  }

  @Test
  void ipv6AndV4MappedAddresses() {
    ByteBuffer b = record(EventLayout.AF_INET6, 0);
    b.putShort(EventLayout.TYPE, (short) 2)
        .putShort(EventLayout.SYSCALL, (short) 0)
        .putInt(EventLayout.FD, -1);
    byte[] loopback6 = new byte[16];
    loopback6[15] = 1;
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
    b.put(EventLayout.LADDR, loopback6).put(EventLayout.RADDR, mapped);

    SocketEvent e = EventDecoder.decode(b.array());

    assertThat(e.type()).isEqualTo(EventType.ACCEPT);
    assertThat(e.syscall()).isEqualTo(Syscall.NONE);
    assertThat(e.fd()).isEqualTo(-1);
    assertThat(e.local().address()).isInstanceOf(Inet6Address.class);
    assertThat(e.local().toString()).isEqualTo("[0:0:0:0:0:0:0:1]:0");
    assertThat(e.remote().address())
        .as("dual-stack JVM socket talking IPv4")
        .isInstanceOf(Inet4Address.class);
    assertThat(e.payload()).isEmpty();
  }

  @Test
  void payloadIsAViewOfTheRecordThatReadersCannotChange() {
    byte[] payload = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = record(EventLayout.AF_INET, payload.length);
    b.putShort(EventLayout.TYPE, (short) 1).putShort(EventLayout.SYSCALL, (short) 2);
    b.put(EventLayout.HEADER_SIZE, payload);
    // A size class rounds the record up: the bytes after the captured ones are not payload.
    byte[] padded = java.util.Arrays.copyOf(b.array(), b.capacity() + 64);

    SocketEvent e = EventDecoder.decode(padded);

    assertThat(e.capturedLength()).isEqualTo(payload.length);
    byte[] copy = e.payload();
    copy[0] = 'X';
    assertThat(e.payloadByte(0)).isEqualTo((byte) 'H');
    byte[] into = new byte[4];
    e.copyPayload(9, into, 0, 3);
    assertThat(new String(into, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("200");
    assertThatThrownBy(() -> e.copyPayload(10, into, 0, payload.length))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> e.payloadByte(payload.length))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void rejectsMalformedRecords() {
    ByteBuffer family = record(7, 0);
    family.putShort(EventLayout.TYPE, (short) 1);
    assertThatThrownBy(() -> EventDecoder.decode(family.array())).hasMessageContaining("family 7");
    ByteBuffer type = record(EventLayout.AF_INET, 0);
    type.putShort(EventLayout.TYPE, (short) 9);
    assertThatThrownBy(() -> EventDecoder.decode(type.array()))
        .hasMessageContaining("event type 9");
    ByteBuffer syscall = record(EventLayout.AF_INET, 0);
    syscall.putShort(EventLayout.TYPE, (short) 1).putShort(EventLayout.SYSCALL, (short) 99);
    assertThatThrownBy(() -> EventDecoder.decode(syscall.array()))
        .hasMessageContaining("syscall code 99");
  }

  @Test
  void rejectsTruncatedRecords() {
    assertThatThrownBy(() -> EventDecoder.decode(new byte[10]))
        .isInstanceOf(IllegalArgumentException.class);
    ByteBuffer b = record(EventLayout.AF_INET, 0);
    b.putShort(EventLayout.TYPE, (short) 1)
        .putShort(EventLayout.SYSCALL, (short) 1)
        .putInt(EventLayout.CAPTURED, 50);
    assertThatThrownBy(() -> EventDecoder.decode(b.array())).hasMessageContaining("captured=50");
  }

  private static ByteBuffer record(int family, int captured) {
    ByteBuffer b =
        ByteBuffer.allocate(EventLayout.HEADER_SIZE + captured).order(ByteOrder.nativeOrder());
    b.putShort(EventLayout.FAMILY, (short) family).putInt(EventLayout.CAPTURED, captured);
    return b;
  }
}
