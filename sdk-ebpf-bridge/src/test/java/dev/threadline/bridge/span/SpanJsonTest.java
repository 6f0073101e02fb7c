package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.testing.TestEvents;
import dev.threadline.sdk.export.UrlRedaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanJsonTest {

  private static SSpan span(String request, String response) {
    List<SSpan> spans = new ArrayList<>();
    SpanAssembler assembler = new SpanAssembler(spans::add);
    TestEvents s = new TestEvents(7, 0x1234, 8080, 50000);
    assembler.accept(s.receive(request));
    assembler.accept(s.send(response));
    assertThat(spans).hasSize(1);
    return spans.get(0);
  }

  @Test
  void theThreadStampsOfBothSidesAreWrittenWhenPresent() {
    ThreadStamp server = new ThreadStamp("4bf92f3577b34da6a3ce929d0e0e4736", "53995c3f42cd8ad8", 1);
    List<SSpan> spans = new ArrayList<>();
    SpanAssembler assembler = new SpanAssembler(spans::add);
    TestEvents s = new TestEvents(7, 0x1234, 8080, 50000);
    assembler.accept(s.receive("GET / HTTP/1.1\r\n\r\n"));
    assembler.accept(s.stamped(server).send("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    JsonObject json =
        JsonParser.parseString(new SpanJson(0).toJson(spans.get(0))).getAsJsonObject();

    assertThat(json.keySet()).doesNotContain("request_trace_id", "request_span_id");
    assertThat(json.get("response_trace_id").getAsString())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.get("response_span_id").getAsString()).isEqualTo("53995c3f42cd8ad8");
    assertThat(json.get("response_trace_flags").getAsInt()).isEqualTo(1);
  }

  @Test
  void theRequestTargetIsPrintedWithoutItsSecrets() {
    SSpan span =
        span(
            "GET /login?user=ann&password=pw-1&access_token=at-2 HTTP/1.1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    String line = new SpanJson(0).toJson(span);
    assertThat(line).doesNotContain("pw-1").doesNotContain("at-2");
    assertThat(JsonParser.parseString(line).getAsJsonObject().get("path").getAsString())
        .isEqualTo("/login?user=ann&password=REDACTED&access_token=REDACTED");

    SSpan proxied =
        span(
            "GET http://u:pw-3@upstream/x?sig=s-4 HTTP/1.1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    assertThat(
            JsonParser.parseString(new SpanJson(0, UrlRedaction.of(List.of("sig"))).toJson(proxied))
                .getAsJsonObject()
                .get("path")
                .getAsString())
        .isEqualTo("http://upstream/x?sig=REDACTED");
  }

  @Test
  void oneLineWithDocumentedFields() {
    SSpan span =
        span(
            "GET /q?a=\"b\" HTTP/1.1\r\ntraceparent: 00-aa-bb-01\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    SpanJson writer = new SpanJson(1_000_000_000L);
    String line = writer.toJson(span);
    String socket = writer.socketLabel(0x1234);

    assertThat(socket)
        .matches("[0-9a-f]{16}")
        .isEqualTo(writer.socketLabel(0x1234))
        .isNotEqualTo(writer.socketLabel(0x1235))
        .doesNotContain("1234");
    assertThat(line).doesNotContain("\n").startsWith("{\"kind\":\"s-p\",").endsWith("}");
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertThat(json.keySet())
        .containsExactly(
            "kind",
            "protocol",
            "pid",
            "comm",
            "fd",
            "socket",
            "local",
            "remote",
            "start_unix_nano",
            "end_unix_nano",
            "duration_ns",
            "request_tid",
            "response_tid",
            "request_bytes",
            "response_bytes",
            "request_seq",
            "response_seq",
            "method",
            "path",
            "traceparent",
            "status");
    assertThat(json.get("kind").getAsString()).isEqualTo("s-p");
    assertThat(json.get("protocol").getAsString()).isEqualTo("http");
    assertThat(json.get("pid").getAsInt()).isEqualTo(7);
    assertThat(json.get("comm").getAsString()).isEqualTo("test");
    assertThat(json.get("fd").getAsInt()).isEqualTo(9);
    assertThat(json.get("socket").getAsString()).isEqualTo(socket);
    assertThat(json.get("local").getAsString()).isEqualTo("127.0.0.1:8080");
    assertThat(json.get("remote").getAsString()).isEqualTo("127.0.0.1:50000");
    assertThat(json.get("start_unix_nano").getAsJsonPrimitive().isNumber()).isTrue();
    assertThat(json.get("start_unix_nano").getAsLong())
        .isEqualTo(span.startNanos() + 1_000_000_000L);
    assertThat(json.get("duration_ns").getAsLong()).isEqualTo(span.endNanos() - span.startNanos());
    assertThat(json.get("request_seq").getAsLong()).isEqualTo(5000);
    assertThat(json.get("response_seq").getAsLong()).isEqualTo(1000);
    assertThat(json.get("method").getAsString()).isEqualTo("GET");
    assertThat(json.get("path").getAsString()).isEqualTo("/q?a=\"b\"");
    assertThat(json.get("traceparent").getAsString()).isEqualTo("00-aa-bb-01");
    assertThat(json.get("status").getAsJsonPrimitive().isNumber()).isTrue();
    assertThat(json.get("status").getAsInt()).isEqualTo(200);
  }

  @Test
  void hostileTextStaysInsideItsString() {
    String path = "/x\"y\\z</script><b>&'=";
    String header = "00-\u0001\u001f\u007f\u0085-</script>";
    SSpan span =
        span(
            "GET " + path + " HTTP/1.1\r\nx-request-id: " + header + "\r\n\r\n",
            "HTTP/1.1 204 No Content\r\n\r\n");
    String line = new SpanJson(0).toJson(span);

    assertThat(line)
        .doesNotContain("\n")
        .doesNotContain("<")
        .doesNotContain(">")
        .doesNotContain("&")
        .doesNotContain("\u0001")
        .doesNotContain("\u001f")
        .contains("\\u003c/script\\u003e");
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertThat(json.get("path").getAsString()).isEqualTo(path);
    assertThat(json.get("x_request_id").getAsString()).isEqualTo(header);
    assertThat(json.get("status").getAsInt()).isEqualTo(204);
  }
}
