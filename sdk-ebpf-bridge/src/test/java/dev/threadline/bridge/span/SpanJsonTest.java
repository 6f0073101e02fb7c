package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.testing.TestEvents;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanJsonTest {

  @Test
  void oneLineWithDocumentedFieldsAndEscaping() {
    List<SSpan> spans = new ArrayList<>();
    SpanAssembler assembler = new SpanAssembler(spans::add);
    TestEvents s = new TestEvents(7, 0x1234, 8080, 50000);
    assembler.accept(s.receive("GET /q?a=\"b\" HTTP/1.1\r\ntraceparent: 00-aa-bb-01\r\n\r\n"));
    assembler.accept(s.send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));

    SpanJson writer = new SpanJson(1_000_000_000L);
    String json = writer.toJson(spans.get(0));
    String socket = writer.socketLabel(0x1234);

    assertThat(socket)
        .matches("[0-9a-f]{16}")
        .isEqualTo(writer.socketLabel(0x1234))
        .isNotEqualTo(writer.socketLabel(0x1235))
        .doesNotContain("1234");
    assertThat(json)
        .doesNotContain("\n")
        .startsWith(
            "{\"kind\":\"s-p\",\"protocol\":\"http\",\"pid\":7,\"comm\":\"test\",\"fd\":9,\"socket\":\""
                + socket
                + "\",\"local\":\"127.0.0.1:8080\",\"remote\":\"127.0.0.1:50000\",")
        .contains("\"start_unix_nano\":" + (spans.get(0).startNanos() + 1_000_000_000L))
        .contains("\"request_seq\":5000,\"response_seq\":1000")
        .contains("\"method\":\"GET\",\"path\":\"/q?a=\\\"b\\\"\"")
        .contains("\"traceparent\":\"00-aa-bb-01\"")
        .doesNotContain("\"b3\"")
        .doesNotContain("request_truncated")
        .endsWith("\"status\":200}");
  }
}
