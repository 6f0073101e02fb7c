package dev.threadline.bridge.node.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.threadline.bridge.node.JsonOutput;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanEvent;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.node.store.SpanView;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query API's JSON, parsed back: the keys and value types the viewer reads. */
class TraceJsonTest {
  /** Everything that could end a string, a script or an HTML element, or a JavaScript line. */
  private static final String HOSTILE =
      "a\"b\\c</script><img src=x onerror=alert(1)>&amp;'\u0000\u0001\u001f\n\r\t\u2028\u2029end";

  private static final long START = 1_700_000_000_123_456_789L;
  private static final String TRACE = "5b8efff798038103d269b633813fc60c";

  private static TraceSummary summary() {
    return new TraceSummary(
        TRACE,
        HOSTILE,
        "GET /x",
        "GET " + HOSTILE,
        START,
        2_500_000L,
        2,
        1,
        List.of(HOSTILE, "db"),
        1_700_000_000_200L);
  }

  private static SpanRecord span(String spanId, String parent, long offsetNanos) {
    return new SpanRecord(
        TRACE,
        spanId,
        parent,
        HOSTILE,
        "SERVER",
        START + offsetNanos,
        START + offsetNanos + 1_500_000L,
        HOSTILE,
        "scope",
        "ERROR",
        HOSTILE,
        Origin.S,
        List.of(new Attribute("k" + HOSTILE, HOSTILE, "string"), new Attribute("n", "3", "int")),
        List.of(Attribute.ofString("service.name", HOSTILE)),
        List.of(
            new SpanEvent(
                HOSTILE, START + offsetNanos + 250_000L, List.of(Attribute.ofString("e", "v")))));
  }

  @Test
  void aTraceKeepsEveryKeyTypeAndHostileValue() {
    String text =
        TraceJson.trace(
            new TraceSnapshot(
                summary(),
                List.of(
                    new SpanView(span("eee19b7ec3c1b174", "", 0), ""),
                    new SpanView(
                        span("eee19b7ec3c1b175", "0000000000000001", 500_000L),
                        "eee19b7ec3c1b174"))));
    assertEscaped(text);
    JsonObject trace = JsonParser.parseString(text).getAsJsonObject();
    assertSummary(trace);
    JsonArray spans = trace.getAsJsonArray("spans");
    assertThat(spans).hasSize(2);

    JsonObject root = spans.get(0).getAsJsonObject();
    assertThat(root.keySet())
        .containsExactly(
            "spanId",
            "parentSpanId",
            "traceId",
            "name",
            "kind",
            "service",
            "scope",
            "origin",
            "statusCode",
            "statusMessage",
            "startUnixNano",
            "endUnixNano",
            "offsetMs",
            "durationMs",
            "attributes",
            "resource",
            "events");
    assertThat(string(root, "spanId")).isEqualTo("eee19b7ec3c1b174");
    assertThat(string(root, "parentSpanId")).isEmpty();
    assertThat(string(root, "traceId")).isEqualTo(TRACE);
    assertThat(string(root, "name")).isEqualTo(HOSTILE);
    assertThat(string(root, "kind")).isEqualTo("SERVER");
    assertThat(string(root, "service")).isEqualTo(HOSTILE);
    assertThat(string(root, "scope")).isEqualTo("scope");
    assertThat(string(root, "origin")).isEqualTo("S");
    assertThat(string(root, "statusCode")).isEqualTo("ERROR");
    assertThat(string(root, "statusMessage")).isEqualTo(HOSTILE);
    assertThat(string(root, "startUnixNano")).isEqualTo(Long.toString(START));
    assertThat(string(root, "endUnixNano")).isEqualTo(Long.toString(START + 1_500_000L));
    assertThat(number(root, "offsetMs")).isEqualTo(0.0);
    assertThat(number(root, "durationMs")).isEqualTo(1.5);
    JsonArray attributes = root.getAsJsonArray("attributes");
    assertThat(attributes).hasSize(2);
    JsonObject first = attributes.get(0).getAsJsonObject();
    assertThat(first.keySet()).containsExactly("key", "value", "type");
    assertThat(string(first, "key")).isEqualTo("k" + HOSTILE);
    assertThat(string(first, "value")).isEqualTo(HOSTILE);
    assertThat(string(first, "type")).isEqualTo("string");
    assertThat(string(attributes.get(1).getAsJsonObject(), "value")).isEqualTo("3");
    JsonObject resource = root.getAsJsonArray("resource").get(0).getAsJsonObject();
    assertThat(string(resource, "key")).isEqualTo("service.name");
    assertThat(string(resource, "value")).isEqualTo(HOSTILE);
    JsonObject event = root.getAsJsonArray("events").get(0).getAsJsonObject();
    assertThat(event.keySet()).containsExactly("name", "offsetMs", "attributes");
    assertThat(string(event, "name")).isEqualTo(HOSTILE);
    assertThat(number(event, "offsetMs")).isEqualTo(0.25);
    assertThat(string(event.getAsJsonArray("attributes").get(0).getAsJsonObject(), "key"))
        .isEqualTo("e");

    JsonObject child = spans.get(1).getAsJsonObject();
    assertThat(string(child, "parentSpanId")).isEqualTo("eee19b7ec3c1b174");
    assertThat(string(child, "originalParentSpanId")).isEqualTo("0000000000000001");
    assertThat(number(child, "offsetMs")).isEqualTo(0.5);
  }

  @Test
  void summariesAreAListWithItsCount() {
    String text = TraceJson.summaries(List.of(summary(), summary()));
    assertEscaped(text);
    JsonObject answer = JsonParser.parseString(text).getAsJsonObject();
    assertThat(answer.keySet()).containsExactly("traces", "count");
    assertThat(answer.get("count").getAsJsonPrimitive().isNumber()).isTrue();
    assertThat(answer.get("count").getAsInt()).isEqualTo(2);
    JsonArray traces = answer.getAsJsonArray("traces");
    assertThat(traces).hasSize(2);
    assertSummary(traces.get(0).getAsJsonObject());
    assertThat(TraceJson.summaries(List.of())).isEqualTo("{\"traces\":[],\"count\":0}");
  }

  @Test
  void oneStringAsTheOtlpResponsesWriteIt() {
    String quoted = JsonOutput.quoted(HOSTILE);
    assertEscaped(quoted);
    assertThat(JsonParser.parseString(quoted).getAsString()).isEqualTo(HOSTILE);
    assertThat(JsonOutput.write(json -> JsonOutput.number(json, Double.NaN))).isEqualTo("null");
  }

  private static void assertSummary(JsonObject summary) {
    assertThat(summary.keySet())
        .startsWith(
            "traceId",
            "rootService",
            "rootName",
            "rootEndpoint",
            "startUnixNano",
            "startMs",
            "durationMs",
            "spanCount",
            "errorCount",
            "receivedMs",
            "services");
    assertThat(string(summary, "traceId")).isEqualTo(TRACE);
    assertThat(string(summary, "rootService")).isEqualTo(HOSTILE);
    assertThat(string(summary, "rootName")).isEqualTo("GET /x");
    assertThat(string(summary, "rootEndpoint")).isEqualTo("GET " + HOSTILE);
    // Epoch nanoseconds are a string: a JavaScript number cannot hold them exactly.
    assertThat(string(summary, "startUnixNano")).isEqualTo(Long.toString(START));
    assertThat(number(summary, "startMs")).isEqualTo(START / 1_000_000L);
    assertThat(number(summary, "durationMs")).isEqualTo(2.5);
    assertThat(number(summary, "spanCount")).isEqualTo(2);
    assertThat(number(summary, "errorCount")).isEqualTo(1);
    assertThat(number(summary, "receivedMs")).isEqualTo(1_700_000_000_200L);
    JsonArray services = summary.getAsJsonArray("services");
    assertThat(services).hasSize(2);
    assertThat(services.get(0).getAsString()).isEqualTo(HOSTILE);
    assertThat(services.get(1).getAsString()).isEqualTo("db");
  }

  /** Nothing in the raw text can end a script element or a JavaScript string literal's line. */
  private static void assertEscaped(String text) {
    assertThat(text)
        .doesNotContain("</script")
        .doesNotContain("<")
        .doesNotContain(">")
        .doesNotContain("&")
        .doesNotContain("\u2028")
        .doesNotContain("\u2029")
        .doesNotContain("\n")
        .doesNotContain("\r")
        .doesNotContain("\u0000")
        .doesNotContain("\u001f")
        .contains("\\u003c/script\\u003e")
        .contains("\\u2028")
        .contains("\\\"")
        .contains("\\\\");
  }

  private static String string(JsonObject object, String key) {
    JsonElement value = object.get(key);
    assertThat(value.isJsonPrimitive() && value.getAsJsonPrimitive().isString())
        .as(key + " is a string")
        .isTrue();
    return value.getAsString();
  }

  private static double number(JsonObject object, String key) {
    JsonElement value = object.get(key);
    assertThat(value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber())
        .as(key + " is a number")
        .isTrue();
    return value.getAsDouble();
  }
}
