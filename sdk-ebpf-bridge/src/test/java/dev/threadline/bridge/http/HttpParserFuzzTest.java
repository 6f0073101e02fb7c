package dev.threadline.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.Syscall;
import dev.threadline.sdk.testing.Fuzzer;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the HTTP/1.x parsing of captured socket data: {@link HttpHeadParser} on arbitrary heads,
 * and {@link HttpStreamParser} on byte streams cut into syscalls at random points, each captured up
 * to a random N as the BPF side does. Neither may throw; every message completes once, after its
 * head, with no more bytes than were moved; and the stream parser's buffers stay bounded however
 * long the stream.
 */
class HttpParserFuzzTest {
  private static final int MAX_CAPTURE = 4096;

  /** Twice the head and line limits (buffers double), plus a capture's worth over each. */
  private static final int BUFFER_BOUND = 2 * (64 * 1024 + 4 * 1024) + 4 * MAX_CAPTURE;

  private static final Endpoint HERE = new Endpoint(InetAddress.getLoopbackAddress(), 8080);

  private static Fuzzer fuzzer(String name) {
    return Fuzzer.named(name)
        .seed("GET /items?id=1 HTTP/1.1\r\nHost: shop\r\nTraceparent: 00-x-y-01\r\n\r\n")
        .seed("POST /cart HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.0\r\n\r\n")
        .seed(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\n"
                + "Trailer: t\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        .seed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        .seed("HTTP/1.0 200 OK\nServer: x\n\nuntil close")
        .seed("OPTIONS * HTTP/1.1\r\nX-B3-TraceId: 1\r\nContent-Length: 3, 3\r\n\r\nabc")
        .dictionary(
            "\r\n\r\n",
            "HTTP/1.1 ",
            "GET ",
            "Content-Length: ",
            "Transfer-Encoding: chunked\r\n",
            ": ",
            "-5\r\n",
            "ffffffffffffffff\r\n",
            "0\r\n\r\n")
        .maxLength(96 * 1024);
  }

  @Test
  void headsOfAnyBytesParseOrAreRefused() throws InterruptedException {
    fuzzer("http-head")
        .defaultInputs(150_000)
        .run(
            (head, random) -> {
              HttpMessage message =
                  random.nextBoolean()
                      ? HttpHeadParser.parse(head, head.length)
                      : HttpHeadParser.parseTruncated(head, head.length);
              HttpHeadParser.looksLikeStart(head, 0, Math.min(head.length, 8));
              if (message != null) {
                assertThat(message.headers().size()).isLessThanOrEqualTo(head.length);
                message.traceparent();
                message.b3();
                message.uberTraceId();
                message.requestId();
                message.interim();
              }
            });
  }

  @Test
  void streamsCutIntoSyscallsStayAlignedAndBounded() throws InterruptedException {
    fuzzer("http-stream").defaultInputs(100_000).run((stream, random) -> feed(stream, random));
  }

  private static void feed(byte[] stream, SplittableRandom random) {
    Map<HttpMessage, Boolean> heads = new IdentityHashMap<>();
    long[] moved = {0};
    HttpStreamParser.Listener listener =
        new HttpStreamParser.Listener() {
          @Override
          public void headParsed(HttpMessage head, MessageStart start) {
            assertThat(heads.put(head, false)).as("a head parsed twice").isNull();
          }

          @Override
          public void completed(
              HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes) {
            assertThat(heads.put(head, true)).as("completed once, after its head").isFalse();
            assertThat(bytes).isBetween(0L, moved[0]);
          }

          @Override
          public void notHttp(SocketEvent first) {}
        };
    String[] methods = {null, "GET", "HEAD"};
    String method = methods[random.nextInt(methods.length)];
    HttpStreamParser parser = new HttpStreamParser(listener, () -> method);
    int capture = 1 << (4 + random.nextInt(9)); // 16 .. 4096, the BPF side's N
    long seq = random.nextLong() & 0xFFFF_FFFFL;
    int pos = 0;
    while (pos < stream.length) {
      int n = 1 + random.nextInt(Math.min(stream.length - pos, random.nextBoolean() ? 64 : 8192));
      // Now and then a call moves bytes the stream does not show (a body, or lost events).
      long extra = random.nextInt(32) == 0 ? random.nextInt(1 << 20) : 0;
      byte[] payload = Arrays.copyOfRange(stream, pos, pos + Math.min(n, capture));
      moved[0] += n + extra;
      parser.feed(
          new SocketEvent(
              EventType.DATA,
              Syscall.READ,
              Direction.INGRESS,
              1,
              2,
              "fuzz",
              3,
              4,
              HERE,
              HERE,
              pos,
              n + extra,
              seq,
              -1,
              payload,
              null));
      seq = (seq + n + extra) & 0xFFFF_FFFFL;
      pos += n;
      assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(BUFFER_BOUND);
    }
    parser.close();
  }
}
