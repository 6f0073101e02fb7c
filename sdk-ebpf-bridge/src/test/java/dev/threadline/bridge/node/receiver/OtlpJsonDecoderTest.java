package dev.threadline.bridge.node.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonDecoderTest {
  private static ExportTraceServiceRequest decode(String json) throws ReceiveException {
    return OtlpJsonDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Span onlySpan(ExportTraceServiceRequest request) {
    return request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  @Test
  void readsIdsAsHexAndTheOtherOtlpJsonRules() throws Exception {
    ExportTraceServiceRequest request =
        decode(
            """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},
          "scopeSpans":[{"scope":{"name":"kong-internal"},"spans":[{
            "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
            "parentSpanId":"eee19b7ec3c1b173","name":"kong.balancer","kind":3,
            "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":1544712661000000000,
            "attributes":[{"key":"try_count","value":{"intValue":"2"}},
                          {"key":"ratio","value":{"doubleValue":0.5}},
                          {"key":"ok","value":{"boolValue":true}},
                          {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":3}]}}}],
            "events":[{"timeUnixNano":"1544712660500000000","name":"retry"}],
            "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
            "somethingNew":{"ignored":true}}]}]}]}
        """);
    Span span = onlySpan(request);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray()))
        .isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray()))
        .isEqualTo("eee19b7ec3c1b174");
    assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray()))
        .isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1544712661000000000L);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(2);
    assertThat(span.getAttributes(1).getValue().getDoubleValue()).isEqualTo(0.5);
    assertThat(span.getAttributes(2).getValue().getBoolValue()).isTrue();
    assertThat(span.getAttributes(3).getValue().getArrayValue().getValuesCount()).isEqualTo(2);
    assertThat(span.getEvents(0).getName()).isEqualTo("retry");
    assertThat(span.getStatus().getCodeValue()).isEqualTo(2);
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getScope().getName())
        .isEqualTo("kong-internal");
  }

  @Test
  void acceptsSnakeCaseNamesEnumNamesAndNulls() throws Exception {
    Span span =
        onlySpan(
            decode(
                """
        {"resource_spans":[{"scope_spans":[{"spans":[{"trace_id":"5b8efff798038103d269b633813fc60c",
          "span_id":"eee19b7ec3c1b174","parent_span_id":"","kind":"SPAN_KIND_SERVER","name":"x",
          "start_time_unix_nano":1,"end_time_unix_nano":2,"status":null,"links":null}]}]}]}
        """));
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getEndTimeUnixNano()).isEqualTo(2);
  }

  @Test
  void refusesWhatIsNotOtlpJsonWithAReason() {
    assertThatThrownBy(
            () ->
                decode(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"))
        .isInstanceOf(ReceiveException.class)
        .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId")
        .hasMessageContaining("32 hex digits");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"kind\":\"SIDEWAYS\"}]}]}]}"))
        .hasMessageContaining("unknown value SIDEWAYS");
    assertThatThrownBy(
            () ->
                decode(
                    "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":1.5}]}]}]}"))
        .hasMessageContaining("expected an integer");
    assertThatThrownBy(() -> decode("{\"resourceSpans\": 7}"))
        .hasMessageContaining("expected an array");
    assertThatThrownBy(() -> decode("[1,2]")).hasMessageContaining("must be an object");
    assertThatThrownBy(() -> decode("{\"a\":1} trailing")).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> decode("{'a':1}")).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> decode("[".repeat(100_000))).hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> decode("")).hasMessageContaining("invalid JSON");
  }

  @Test
  void refusesIntegersWithHugeExponentsAtOnce() {
    for (String time : new String[] {"\"1e99999999\"", "1E99999999", "\"17e-99999999\""}) {
      String body =
          "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":"
              + time
              + "}]}]}]}";
      assertTimeoutPreemptively(
          Duration.ofSeconds(2),
          () -> assertThatThrownBy(() -> decode(body)).hasMessageContaining("expected an integer"));
    }
  }
}
