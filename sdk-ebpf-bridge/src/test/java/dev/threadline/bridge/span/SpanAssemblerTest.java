package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanAssemblerTest {
  private final List<SSpan> spans = new ArrayList<>();
  private final SpanAssembler assembler = new SpanAssembler(spans::add);

  @Test
  void eachSpanCarriesTheThreadStampsOfItsOwnRequestAndResponse() {
    ThreadStamp first = new ThreadStamp("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1);
    ThreadStamp second = new ThreadStamp("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", 0);
    TestEvents c = new TestEvents(200, 0xB, 41000, 8080);
    assembler.accept(c.lifecycle(EventType.CONNECT));
    // Two pipelined requests on one keep-alive connection, sent from two different spans.
    assembler.accept(c.stamped(first).send("GET /a HTTP/1.1\r\n\r\n"));
    assembler.accept(c.stamped(second).send("GET /b HTTP/1.1\r\n\r\n"));
    assembler.accept(c.stamped(null).receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assembler.accept(c.stamped(second).receive("HTTP/1.1 204 No\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).path()).isEqualTo("/a");
    assertThat(spans.get(0).requestStamp()).isEqualTo(first);
    assertThat(spans.get(0).responseStamp()).isNull();
    assertThat(spans.get(1).path()).isEqualTo("/b");
    assertThat(spans.get(1).requestStamp()).isEqualTo(second);
    assertThat(spans.get(1).responseStamp()).isEqualTo(second);
  }

  @Test
  void aServerSpanIsStampedByTheThreadThatWroteItsResponse() {
    ThreadStamp server = new ThreadStamp("4bf92f3577b34da6a3ce929d0e0e4736", "53995c3f42cd8ad8", 1);
    TestEvents s = new TestEvents(100, 0xA, 80, 40000);
    assembler.accept(s.lifecycle(EventType.ACCEPT));
    assembler.accept(s.receive("GET /one HTTP/1.1\r\n\r\n")); // read before any span exists
    assembler.accept(s.stamped(server).send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));

    assertThat(spans)
        .singleElement()
        .satisfies(
            span -> {
              assertThat(span.kind()).isEqualTo(SpanKind.SERVER);
              assertThat(span.requestStamp()).isNull();
              assertThat(span.responseStamp()).isEqualTo(server);
            });
  }

  @Test
  void serverSideKeepAlivePairsInOrder() {
    TestEvents s = new TestEvents(100, 0xA, 80, 40000);
    assembler.accept(s.lifecycle(EventType.ACCEPT));
    String request = "GET /one HTTP/1.1\r\nX-Request-Id: r1\r\n\r\n";
    assembler.accept(s.receive(request));
    assembler.accept(s.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    assembler.accept(s.receive("GET /two HTTP/1.1\r\n\r\n"));
    assembler.accept(s.send("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).hasSize(2);
    SSpan one = spans.get(0);
    assertThat(one.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(one.protocol()).isEqualTo("http");
    assertThat(one.method()).isEqualTo("GET");
    assertThat(one.path()).isEqualTo("/one");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.request().requestId()).isEqualTo("r1");
    assertThat(one.requestSeq()).isEqualTo(5000);
    assertThat(one.responseSeq()).isEqualTo(1000);
    assertThat(one.requestBytes()).isEqualTo(request.length());
    assertThat(one.responseBytes()).isEqualTo(40);
    assertThat(one.startNanos()).isLessThan(one.endNanos());
    SSpan two = spans.get(1);
    assertThat(two.path()).isEqualTo("/two");
    assertThat(two.status()).isEqualTo(500);
    assertThat(two.requestSeq()).isEqualTo(5000 + request.length());
    assertThat(two.responseSeq()).isEqualTo(1040);
  }

  @Test
  void clientSidePipelinedRequestsWithoutLifecycleEvents() {
    TestEvents c = new TestEvents(200, 0xB, 40000, 80);
    assembler.accept(
        c.send("GET /a HTTP/1.1\r\n\r\nHEAD /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n"));
    assembler.accept(
        c.receive(
            "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"
                + "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/a", "/b", "/c");
    assertThat(spans).extracting(SSpan::kind).containsOnly(SpanKind.CLIENT);
    assertThat(spans.get(1).responseBytes()).as("HEAD response has no body").isEqualTo(40);
  }

  @Test
  void continueResponseIsNotPairedWithTheRequest() {
    TestEvents s = new TestEvents(100, 0xC, 80, 40001);
    String head = "POST /up HTTP/1.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n";
    assembler.accept(s.receive(head));
    assembler.accept(s.send("HTTP/1.1 100 Continue\r\n\r\n"));
    assembler.accept(s.receive("abc"));
    assembler.accept(s.send("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).status()).isEqualTo(201);
    assertThat(spans.get(0).requestBytes()).isEqualTo(head.length() + 3);
  }

  @Test
  void nonHttpExchangesBecomeL4Spans() {
    TestEvents c = new TestEvents(300, 0xD, 40002, 3306);
    assembler.accept(c.lifecycle(EventType.CONNECT));
    assembler.accept(c.send("\u0001\u0000\u0000\u0000query one"));
    assembler.accept(c.receive("\u0002result"));
    assembler.accept(c.receive("\u0002more"));
    assembler.accept(c.send("\u0001\u0000\u0000\u0000query two"));
    assertThat(spans).hasSize(1);
    assembler.accept(c.receive("\u0002second"));
    assembler.accept(c.lifecycle(EventType.CLOSE));

    assertThat(spans).hasSize(2);
    SSpan first = spans.get(0);
    assertThat(first.protocol()).isEqualTo("l4");
    assertThat(first.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(first.requestBytes()).isEqualTo(13);
    assertThat(first.responseBytes()).isEqualTo(12);
    assertThat(first.requestSeq()).isEqualTo(1000);
    assertThat(first.responseSeq()).isEqualTo(5000);
    assertThat(first.request()).isNull();
    assertThat(spans.get(1).requestSeq()).isEqualTo(1013);
  }

  @Test
  void closeFlushesResponseDelimitedByClose() {
    TestEvents c = new TestEvents(400, 0xE, 40003, 80);
    assembler.accept(c.send("GET /old HTTP/1.0\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.0 200 OK\r\n\r\nuntil close"));
    assertThat(spans).isEmpty();
    assembler.accept(c.lifecycle(EventType.CLOSE));
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).responseBytes()).isEqualTo(30);
  }

  @Test
  void requestWithoutResponseIsReportedWhenTheConnectionCloses() {
    TestEvents c = new TestEvents(500, 0x10, 40005, 80);
    assembler.accept(c.lifecycle(EventType.CONNECT));
    assembler.accept(c.send("GET /slow HTTP/1.1\r\n\r\n"));
    assertThat(spans).isEmpty();
    assembler.accept(c.lifecycle(EventType.CLOSE));

    assertThat(spans).hasSize(1);
    SSpan s = spans.get(0);
    assertThat(s.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.path()).isEqualTo("/slow");
    assertThat(s.response()).isNull();
    assertThat(s.status()).isZero();
    assertThat(s.responseSeq()).isEqualTo(-1);
    assertThat(s.endNanos()).isGreaterThan(s.startNanos());
    assertThat(new SpanJson(0).toJson(s)).contains("\"response_seq\":-1").doesNotContain("status");
  }

  @Test
  void lostResponseBodyDoesNotShiftThePairingOfLaterExchanges() {
    TestEvents c = new TestEvents(600, 0x11, 40006, 80).capture(64);
    assembler.accept(c.send("GET /first HTTP/1.1\r\n\r\n"));
    byte[] chunked = new byte[400];
    byte[] head =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, chunked, 0, head.length);
    assembler.accept(c.data(dev.threadline.bridge.decode.Direction.INGRESS, chunked));
    assembler.accept(c.send("GET /second HTTP/1.1\r\nCookie: " + "x".repeat(500) + "\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/first", "/second");
    assertThat(spans).extracting(SSpan::status).containsExactly(200, 404);
    assertThat(spans.get(1).request().truncated()).isTrue();
    assertThat(new SpanJson(0).toJson(spans.get(1))).contains("\"request_truncated\":true");
  }

  @Test
  void anUncapturedResponseDoesNotShiftThePairingOfLaterExchanges() {
    // Under ring pressure a response's payload can be dropped whole: its bytes are counted, none
    // is captured.
    TestEvents c = new TestEvents(601, 0x12, 40007, 80).capture(64);
    assembler.accept(c.send("GET /first HTTP/1.1\r\n\r\n"));
    assembler.accept(c.capture(0).receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    assembler.accept(c.capture(64).send("GET /second HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/first", "/second");
    assertThat(spans.get(0).response()).as("its response was not captured").isNull();
    assertThat(spans.get(1).status()).isEqualTo(404);
  }

  @Test
  void aResponseWhoseStartWasLostStillAnswersItsRequest() {
    TestEvents c = new TestEvents(602, 0x13, 40008, 80).capture(64);
    assembler.accept(c.send("GET /zero HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 204 No Content\r\n\r\n"));
    assembler.accept(c.send("GET /first HTTP/1.1\r\n\r\n"));
    c.receive("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab"); // lost: the ring was full
    assembler.accept(c.receive("cdef")); // the rest of the body
    assembler.accept(c.send("GET /second HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/zero", "/first", "/second");
    assertThat(spans.get(1).response()).isNull();
    assertThat(spans.get(2).status()).isEqualTo(404);
  }

  @Test
  void aLostFirstResponseDoesNotShiftThePairingOfLaterExchanges() {
    // No earlier response shows the gap: the request's event tells where responses start.
    TestEvents c = new TestEvents(604, 0x15, 40011, 80);
    assembler.accept(c.lifecycle(EventType.CONNECT));
    assembler.accept(c.send("GET /first HTTP/1.1\r\n\r\n"));
    c.receive("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); // lost: the ring was full
    assembler.accept(c.send("GET /second HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/first", "/second");
    assertThat(spans.get(0).response()).isNull();
    assertThat(spans.get(1).status()).isEqualTo(404);
  }

  @Test
  void aLostFirstResponseOfAServerDoesNotShiftThePairingOfLaterExchanges() {
    TestEvents s = new TestEvents(605, 0x16, 80, 40012);
    assembler.accept(s.lifecycle(EventType.ACCEPT));
    assembler.accept(s.receive("GET /first HTTP/1.1\r\n\r\n"));
    s.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); // lost
    assembler.accept(s.receive("GET /second HTTP/1.1\r\n\r\n"));
    assembler.accept(s.send("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/first", "/second");
    assertThat(spans).extracting(SSpan::kind).containsOnly(SpanKind.SERVER);
    assertThat(spans.get(0).response()).isNull();
    assertThat(spans.get(1).status()).isEqualTo(404);
  }

  @Test
  void aResponseHeadCutByLostCallsStillAnswersItsRequest() {
    TestEvents c = new TestEvents(603, 0x14, 40009, 80).capture(64);
    assembler.accept(c.send("GET /first HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 200 OK\r\nContent-Le"));
    c.receive("ngth: 6\r\n\r\nab"); // lost
    assembler.accept(c.receive("cdef"));
    assembler.accept(c.send("GET /second HTTP/1.1\r\n\r\n"));
    assembler.accept(c.receive("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));

    assertThat(spans).extracting(SSpan::path).containsExactly("/first", "/second");
    assertThat(spans.get(1).status()).isEqualTo(404);
  }

  @Test
  void aSocketSharedByTwoProcessesIsOneStream() {
    // A pre-fork server: the parent reads the request, the child it hands the socket to writes the
    // response.
    TestEvents parent = new TestEvents(1, 0xF, 80, 40004);
    TestEvents child = new TestEvents(2, 0xF, 80, 40004);
    assembler.accept(parent.receive("GET /x HTTP/1.1\r\n\r\n"));
    assembler.accept(child.send("HTTP/1.1 204 No Content\r\n\r\n"));
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).kind()).isEqualTo(SpanKind.SERVER);
    assertThat(spans.get(0).requestTid()).isEqualTo(2);
    assertThat(spans.get(0).responseTid()).isEqualTo(3);
  }

  @Test
  void aReusedSocketAddressStartsAFreshConnection() {
    // The kernel reuses a freed struct sock at once: the lifecycle events keep the two connections
    // apart.
    TestEvents first = new TestEvents(7, 0x20, 40010, 80);
    assembler.accept(first.lifecycle(EventType.CONNECT));
    assembler.accept(first.send("GET /unanswered HTTP/1.1\r\n\r\n"));
    TestEvents second = new TestEvents(7, 0x20, 8080, 50000);
    assembler.accept(second.lifecycle(EventType.ACCEPT));
    assertThat(spans)
        .extracting(SSpan::path)
        .as("the first connection ended unseen")
        .containsExactly("/unanswered");
    assembler.accept(second.receive("GET /served HTTP/1.1\r\n\r\n"));
    assembler.accept(second.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assertThat(spans).extracting(SSpan::kind).containsExactly(SpanKind.CLIENT, SpanKind.SERVER);
    assertThat(spans.get(1).local().port()).isEqualTo(8080);
    assembler.accept(second.lifecycle(EventType.CLOSE));
    assembler.accept(second.lifecycle(EventType.CLOSE)); // the TCP stack may report an end twice
    assertThat(spans).hasSize(2);
  }

  @Test
  void theServerRoleComesFromTheAcceptEvenWhenTheServerSpeaksFirst() {
    // A greeting protocol (SMTP, MySQL): the accepted end writes first, which alone would look like
    // a client.
    TestEvents s = new TestEvents(0, 0x21, 3306, 50001);
    assembler.accept(s.lifecycle(EventType.ACCEPT));
    assembler.accept(
        s.data(dev.threadline.bridge.decode.Direction.EGRESS, new byte[] {10, 0, 0, 0, 5}));
    assembler.accept(
        s.data(dev.threadline.bridge.decode.Direction.INGRESS, new byte[] {1, 0, 0, 1, 9}));
    assembler.accept(s.lifecycle(EventType.CLOSE));
    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).protocol()).isEqualTo("l4");
    assertThat(spans.get(0).kind()).isEqualTo(SpanKind.SERVER);
  }
}
