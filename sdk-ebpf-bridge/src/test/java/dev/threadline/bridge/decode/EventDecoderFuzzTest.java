package dev.threadline.bridge.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.http.HttpStreamParser;
import dev.threadline.bridge.http.MessageStart;
import dev.threadline.sdk.testing.Fuzzer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the decoding of ring-buffer records (struct tl_event, {@link EventLayout}): valid records
 * mutated, records of the real header size with random fields, and random bytes. A record either
 * decodes, and then every accessor works and the HTTP parser takes its payload, or is refused with
 * {@link IllegalArgumentException}, as the reader expects of a malformed record.
 */
class EventDecoderFuzzTest {
  private static final int CAPTURE = 1024;

  private static byte[] record(int family, String payload) {
    byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b =
        ByteBuffer.allocate(EventLayout.HEADER_SIZE + data.length).order(ByteOrder.nativeOrder());
    b.putLong(EventLayout.TS_NS, 2000)
        .putLong(EventLayout.SOCK_ID, 0xffff8881_0000_1234L)
        .putLong(EventLayout.BYTES, data.length)
        .putInt(EventLayout.PID, 42)
        .putInt(EventLayout.TID, 43)
        .putInt(EventLayout.FD, 7)
        .putInt(EventLayout.SEQ, 0xF000_0001)
        .putInt(EventLayout.CAPTURED, data.length)
        .putShort(EventLayout.TYPE, (short) EventLayout.TYPE_DATA)
        .putShort(EventLayout.SYSCALL, (short) 4)
        .putShort(EventLayout.DIRECTION, (short) 1)
        .putShort(EventLayout.FAMILY, (short) family)
        .putShort(EventLayout.LPORT, (short) 8080)
        .putShort(EventLayout.RPORT, (short) 50000);
    b.put(EventLayout.LADDR, new byte[] {127, 0, 0, 1}, 0, 4);
    b.put(EventLayout.COMM, "nginx".getBytes(StandardCharsets.US_ASCII));
    b.put(EventLayout.TRACE_ID, new byte[16]).put(EventLayout.STAMPED, (byte) 1);
    b.put(EventLayout.HEADER_SIZE, data);
    return b.array();
  }

  @Test
  void recordsDecodeOrAreRefused() throws InterruptedException {
    HttpStreamParser.Listener listener =
        new HttpStreamParser.Listener() {
          @Override
          public void headParsed(HttpMessage head, MessageStart start) {}

          @Override
          public void completed(
              HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes) {}

          @Override
          public void notHttp(SocketEvent first) {}
        };
    Fuzzer.Result result =
        Fuzzer.named("event-decoder")
            .seed(record(EventLayout.AF_INET, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
            .seed(record(EventLayout.AF_INET6, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
            .seed(record(EventLayout.AF_INET, ""))
            .maxLength(EventLayout.HEADER_SIZE + CAPTURE)
            .defaultInputs(200_000)
            .rejects(t -> t instanceof IllegalArgumentException)
            .run(
                (record, random) -> {
                  if (random.nextInt(3) == 0) {
                    shape(record, random);
                  }
                  SocketEvent e = EventDecoder.decode(record);
                  assertThat(e.capturedLength())
                      .isBetween(0, record.length - EventLayout.HEADER_SIZE);
                  assertThat(e.comm().length()).isLessThanOrEqualTo(16);
                  e.type();
                  e.syscall();
                  e.stamp();
                  e.local();
                  e.remote();
                  e.toString();
                  for (int i = 0; i < e.capturedLength(); i++) {
                    e.payloadByte(i);
                  }
                  if (e.type() == EventType.DATA) {
                    new HttpStreamParser(listener, () -> null).feed(e);
                  }
                });
    assertThat(result.rejected()).isLessThan(result.inputs());
  }

  /** Random header fields, but a record of the real size that passes the decoder's checks. */
  private static void shape(byte[] record, SplittableRandom random) {
    if (record.length < EventLayout.HEADER_SIZE) {
      return;
    }
    for (int i = 0; i < EventLayout.HEADER_SIZE; i++) {
      if (random.nextInt(4) == 0) {
        record[i] = (byte) random.nextInt(256);
      }
    }
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
    b.putShort(
        EventLayout.FAMILY,
        (short) (random.nextBoolean() ? EventLayout.AF_INET : EventLayout.AF_INET6));
    b.putShort(EventLayout.DIRECTION, (short) random.nextInt(Direction.values().length));
    b.putInt(EventLayout.CAPTURED, random.nextInt(record.length - EventLayout.HEADER_SIZE + 1));
  }
}
