package dev.threadline.bridge.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpStreamParserTest {
  private final List<String> seen = new ArrayList<>();
  private final List<Long> sizes = new ArrayList<>();
  private final List<Long> seqs = new ArrayList<>();
  private final List<HttpMessage> heads = new ArrayList<>();
  private String pendingMethod;
  private final HttpStreamParser parser =
      new HttpStreamParser(
          new HttpStreamParser.Listener() {
            @Override
            public void headParsed(HttpMessage head, MessageStart start) {
              seen.add("head " + describe(head));
              heads.add(head);
            }

            @Override
            public void completed(
                HttpMessage head, MessageStart start, long endNanos, int endTid, long bytes) {
              seen.add("done " + describe(head));
              sizes.add(bytes);
              seqs.add(start.seq());
            }

            @Override
            public void notHttp(SocketEvent first) {
              seen.add("not http");
            }

            @Override
            public void gap(SocketEvent next) {
              seen.add("gap");
            }
          },
          () -> pendingMethod);
  private final TestEvents events = new TestEvents(10, 1, 80, 5000);

  @Test
  void requestWithHeadersIncludingTraceContext() {
    parser.feed(
        events.receive(
            "GET /a?b=1 HTTP/1.1\r\nHost: x\r\nTraceparent: 00-abc-def-01\r\nb3: t-s-1\r\n"
                + "uber-trace-id: 1:2:0:1\r\nX-Request-Id: r1\r\n\r\n"));
    assertThat(seen).containsExactly("head GET /a?b=1", "done GET /a?b=1");
    assertThat(HttpHeadParser.parse(bytes("NOT A START LINE\r\n\r\n"), 20)).isNull();
  }

  @Test
  void headersAreParsedWithTraceAccessors() {
    byte[] head =
        bytes(
            "GET / HTTP/1.1\r\nTraceparent: tp\r\nb3: b\r\nuber-trace-id: u\r\n"
                + "x-request-id: r\r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\n");
    HttpMessage m = HttpHeadParser.parse(head, head.length);
    assertThat(m).isNotNull();
    assertThat(m.traceparent()).isEqualTo("tp");
    assertThat(m.b3()).isEqualTo("b");
    assertThat(m.uberTraceId()).isEqualTo("u");
    assertThat(m.requestId()).isEqualTo("r");
    assertThat(m.header("SET-COOKIE")).isEqualTo("a, b");
    byte[] multiHead = bytes("GET / HTTP/1.1\r\nX-B3-TraceId: t\r\nX-B3-SpanId: s\r\n\r\n");
    HttpMessage multi = HttpHeadParser.parse(multiHead, multiHead.length);
    assertThat(multi.b3()).isEqualTo("t-s");
  }

  @Test
  void keepAliveContentLengthBodiesKeepMessagesAligned() {
    String first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    String second = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop";
    parser.feed(events.send(first));
    parser.feed(events.send("hello"));
    parser.feed(events.send(second));
    assertThat(seen).containsExactly("head 200", "done 200", "head 404", "done 404");
    assertThat(sizes).containsExactly(first.length() + 5L, (long) second.length());
    assertThat(seqs).containsExactly(1000L, 1000L + first.length() + 5);
  }

  @Test
  void pipelinedRequestsInOneSyscallGetTheirOwnSeq() {
    String a = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n";
    String b = "POST /2 HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody";
    String c = "GET /3 HTTP/1.1\r\n\r\n";
    parser.feed(events.receive(a + b + c));
    assertThat(seen)
        .containsExactly(
            "head GET /1",
            "done GET /1",
            "head POST /2",
            "done POST /2",
            "head GET /3",
            "done GET /3");
    assertThat(seqs).containsExactly(5000L, 5000L + a.length(), 5000L + a.length() + b.length());
  }

  @Test
  void chunkedBodySplitAcrossSyscalls() {
    parser.feed(events.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"));
    parser.feed(events.send("lo\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n"));
    parser.feed(events.send("0\r\nX-Trailer: t\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"));
    assertThat(seen).containsExactly("head 200", "done 200", "head 204", "done 204");
  }

  @Test
  void bodyBeyondTheCapturedBytesIsSkippedByCount() {
    events.capture(64);
    byte[] big = new byte[10_000];
    byte[] head = bytes("POST /up HTTP/1.1\r\nContent-Length: 20000\r\n\r\n");
    System.arraycopy(head, 0, big, 0, head.length);
    parser.feed(events.data(Direction.INGRESS, big));
    parser.feed(events.data(Direction.INGRESS, new byte[10_000 + head.length]));
    parser.feed(events.receive("GET /next HTTP/1.1\r\n\r\n"));
    assertThat(seen)
        .containsExactly("head POST /up", "done POST /up", "head GET /next", "done GET /next");
    assertThat(sizes.get(0)).isEqualTo(20_000L + head.length);
  }

  @Test
  void chunkedBodyWithLargeChunksBeyondCapture() {
    events.capture(64);
    byte[] first = new byte[5000];
    byte[] head = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2000\r\n");
    System.arraycopy(head, 0, first, 0, head.length);
    parser.feed(events.data(Direction.EGRESS, first));
    int rest = 0x2000 - (5000 - head.length);
    byte[] second = new byte[rest + 7];
    System.arraycopy(bytes("\r\n0\r\n\r\n"), 0, second, rest, 7);
    events.capture(8192);
    parser.feed(events.data(Direction.EGRESS, second));
    assertThat(seen).containsExactly("head 200", "done 200");
  }

  @Test
  void responseToHeadHasNoBodyDespiteContentLength() {
    pendingMethod = "HEAD";
    parser.feed(events.send("HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n"));
    pendingMethod = "GET";
    parser.feed(events.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    assertThat(seen).containsExactly("head 200", "done 200", "head 200", "done 200");
  }

  @Test
  void interimContinueThenFinalResponse() {
    parser.feed(events.send("HTTP/1.1 100 Continue\r\n\r\n"));
    parser.feed(events.send("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));
    assertThat(seen).containsExactly("head 100", "done 100", "head 201", "done 201");
  }

  @Test
  void headSplitAcrossSyscalls() {
    parser.feed(events.receive("GET /split HT"));
    parser.feed(events.receive("TP/1.1\r\nHost: x\r"));
    parser.feed(events.receive("\n\r\n"));
    assertThat(seen).containsExactly("head GET /split", "done GET /split");
    assertThat(sizes).containsExactly((long) "GET /split HTTP/1.1\r\nHost: x\r\n\r\n".length());
    assertThat(seqs).containsExactly(5000L);
  }

  @Test
  void headLongerThanTheCaptureKeepsItsCompleteLinesAndEndsWithTheSyscall() {
    events.capture(64);
    String request =
        "GET /big HTTP/1.1\r\nTraceparent: 00-aa-bb-01\r\nCookie: " + "c".repeat(3000) + "\r\n\r\n";
    parser.feed(events.receive(request));
    parser.feed(events.receive("GET /next HTTP/1.1\r\n\r\n"));
    assertThat(seen)
        .containsExactly("head GET /big", "done GET /big", "head GET /next", "done GET /next");
    assertThat(sizes.get(0)).isEqualTo(request.length());
    assertThat(heads.get(0).truncated()).isTrue();
    assertThat(heads.get(0).traceparent()).isEqualTo("00-aa-bb-01");
    assertThat(heads.get(0).header("cookie")).as("past the capture").isNull();
    assertThat(heads.get(1).truncated()).isFalse();
  }

  @Test
  void chunkSizeLinePastTheCaptureCompletesTheMessageAndResyncs() {
    events.capture(64);
    byte[] first = new byte[500];
    byte[] head = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n");
    System.arraycopy(head, 0, first, 0, head.length);
    parser.feed(events.data(Direction.EGRESS, first)); // the 2nd chunk-size line is not captured
    parser.feed(events.send("more body bytes"));
    parser.feed(events.send("HTTP/1.1 204 No Content\r\n\r\n"));
    assertThat(seen).containsExactly("head 200", "done 200", "head 204", "done 204");
    assertThat(sizes.get(0)).isEqualTo(500L);
  }

  @Test
  void responseDelimitedByCloseCompletesOnClose() {
    parser.feed(events.send("HTTP/1.0 200 OK\r\n\r\nstream"));
    parser.feed(events.send("ing body"));
    assertThat(seen).containsExactly("head 200");
    parser.close();
    assertThat(seen).containsExactly("head 200", "done 200");
    assertThat(sizes).containsExactly(33L);
  }

  @Test
  void nonHttpStreamIsReportedOnce() {
    parser.feed(events.send("\u0000\u0000\u0000\u0010binary protocol"));
    parser.feed(events.send("GET / HTTP/1.1\r\n\r\n"));
    assertThat(seen).containsExactly("not http");
    assertThat(parser.notHttp()).isTrue();
  }

  @Test
  void lostHeadResynchronisesAtTheNextMessage() {
    events.capture(16);
    parser.feed(events.receive("GET /long-uncaptured-head HTTP/1.1\r\nHost: x\r\n\r\n"));
    events.capture(1024);
    parser.feed(events.receive("garbage that is the rest of something"));
    parser.feed(events.receive("GET /after HTTP/1.1\r\n\r\n"));
    assertThat(seen).containsExactly("head GET /after", "done GET /after");
  }

  @Test
  void aFirstCallStartingPastWhereTheOtherDirectionSaidItWouldIsAGap() {
    parser.expectFrom(events.ingressSeq());
    events.receive("GET /lost HTTP/1.1\r\n\r\n"); // never fed: the ring was full
    parser.feed(events.receive("GET /next HTTP/1.1\r\n\r\n"));
    assertThat(seen).containsExactly("gap", "head GET /next", "done GET /next");
  }

  @Test
  void aFirstCallStartingWhereTheOtherDirectionSaidIsNoGapAndLaterHintsAreIgnored() {
    parser.expectFrom(events.ingressSeq());
    parser.feed(events.receive("GET /a HTTP/1.1\r\n\r\n"));
    // Once calls were seen, only they say where the next one starts.
    parser.expectFrom(events.ingressSeq() + 1000);
    parser.feed(events.receive("GET /b HTTP/1.1\r\n\r\n"));
    assertThat(seen).containsExactly("head GET /a", "done GET /a", "head GET /b", "done GET /b");
  }

  @Test
  void aFirstCallStartingBeforeWhereTheOtherDirectionSaidIsNoGap() {
    // The call was still running when the other direction's counter was read, which already
    // counted its bytes.
    parser.expectFrom(events.ingressSeq() + 20);
    parser.feed(events.receive("GET /a HTTP/1.1\r\n\r\n"));
    assertThat(seen).containsExactly("head GET /a", "done GET /a");
  }

  @Test
  void negativeLengthsEndTheMessageInsteadOfWalkingBackwards() {
    // A broken or hostile peer: a negative length used to move the parser backwards through the
    // bytes it had counted, giving negative sizes and re-reading a head.
    String head = "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n";
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () -> {
          parser.feed(events.send(head + "body"));
          parser.feed(
              events.send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nbody"));
          parser.feed(events.send("HTTP/1.1 204 No Content\r\n\r\n"));
        });
    assertThat(seen)
        .containsExactly("head 200", "done 200", "head 200", "done 200", "head 204", "done 204");
    assertThat(sizes.get(0))
        .as("the head alone: the length was no length")
        .isEqualTo(head.length());
    assertThat(sizes).allSatisfy(size -> assertThat(size).isPositive());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String describe(HttpMessage m) {
    return m.request() ? m.method() + " " + m.target() : Integer.toString(m.status());
  }
}
