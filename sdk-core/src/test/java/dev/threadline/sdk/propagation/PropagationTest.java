package dev.threadline.sdk.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.Threadline;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The propagators Threadline configures speak Kong's formats and follow the W3C Trace Context
 * rules.
 */
class PropagationTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          // HTTP header names are case-insensitive.
          return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
      };

  private static Threadline all;
  private static Threadline w3cOnly;

  @BeforeAll
  static void install() {
    all =
        builder()
            .setProperty("otel.propagators", "tracecontext,baggage,b3,b3multi,jaeger")
            .install();
    w3cOnly = builder().setProperty("otel.propagators", "tracecontext").install();
  }

  @AfterAll
  static void close() {
    all.close();
    w3cOnly.close();
  }

  private static dev.threadline.sdk.ThreadlineBuilder builder() {
    return Threadline.builder()
        .setRegisterGlobal(false)
        .setShutdownHook(false)
        .setProperty("otel.traces.exporter", "none");
  }

  private static SpanContext extract(Threadline threadline, Map<String, String> headers) {
    Map<String, String> lower = new HashMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    TextMapPropagator propagator =
        threadline.openTelemetry().getPropagators().getTextMapPropagator();
    return Span.fromContext(propagator.extract(Context.root(), lower, GETTER)).getSpanContext();
  }

  private static Map<String, String> inject(Threadline threadline, SpanContext spanContext) {
    Map<String, String> headers = new HashMap<>();
    threadline
        .openTelemetry()
        .getPropagators()
        .getTextMapPropagator()
        .inject(Context.root().with(Span.wrap(spanContext)), headers, (c, k, v) -> c.put(k, v));
    return headers;
  }

  @Test
  void roundTripInjectsEveryConfiguredFormat() {
    SpanContext original =
        SpanContext.createFromRemoteParent(
            TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault());
    Map<String, String> headers = inject(all, original);

    assertThat(headers)
        .containsEntry("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-01")
        .containsEntry("b3", TRACE_ID + "-" + SPAN_ID + "-1")
        .containsEntry("X-B3-TraceId", TRACE_ID)
        .containsEntry("X-B3-SpanId", SPAN_ID)
        .containsEntry("X-B3-Sampled", "1")
        .containsKey("uber-trace-id");
    assertThat(headers.get("uber-trace-id")).startsWith(TRACE_ID + ":" + SPAN_ID + ":");

    SpanContext extracted = extract(all, headers);
    assertThat(extracted.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(extracted.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(extracted.isSampled()).isTrue();
    assertThat(extracted.isRemote()).isTrue();
  }

  @Test
  void extractsEachFormatOnItsOwn() {
    assertThat(extract(all, Map.of("b3", TRACE_ID + "-" + SPAN_ID + "-1")).getSpanId())
        .isEqualTo(SPAN_ID);
    assertThat(
            extract(
                    all,
                    Map.of("X-B3-TraceId", TRACE_ID, "X-B3-SpanId", SPAN_ID, "X-B3-Sampled", "1"))
                .getTraceId())
        .isEqualTo(TRACE_ID);
    SpanContext jaeger = extract(all, Map.of("uber-trace-id", TRACE_ID + ":" + SPAN_ID + ":0:1"));
    assertThat(jaeger.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(jaeger.isSampled()).isTrue();
    // 64-bit ids (older B3 and Jaeger clients) are left-padded to 128 bits.
    assertThat(extract(all, Map.of("b3", "a3ce929d0e0e4736-" + SPAN_ID + "-1")).getTraceId())
        .isEqualTo("0000000000000000a3ce929d0e0e4736");
  }

  @Test
  void w3cKeepsTracestateAndSampledFlag() {
    SpanContext context =
        extract(
            w3cOnly,
            Map.of(
                "traceparent",
                "00-" + TRACE_ID + "-" + SPAN_ID + "-00",
                "tracestate",
                "kong=abc,congo=t61rcWkgMzE"));
    assertThat(context.isValid()).isTrue();
    assertThat(context.isSampled()).isFalse();
    assertThat(context.getTraceState().get("kong")).isEqualTo("abc");
    assertThat(context.getTraceState().get("congo")).isEqualTo("t61rcWkgMzE");
    assertThat(inject(w3cOnly, context)).containsEntry("tracestate", "kong=abc,congo=t61rcWkgMzE");
  }

  @Test
  void w3cIsThreadlinesLevel2Propagator() {
    // OpenTelemetry's own W3C propagator drops keys that level 2 allows ("foo@"); Threadline's
    // keeps them, in both the library and the agent (which installs through the same code).
    SpanContext context =
        extract(
            w3cOnly,
            Map.of(
                "traceparent",
                "00-" + TRACE_ID + "-" + SPAN_ID + "-01",
                "tracestate",
                "foo@=1,t@" + "v".repeat(15) + "=2"));
    assertThat(context.getTraceState().get("foo@")).isEqualTo("1");
    assertThat(inject(w3cOnly, context))
        .containsEntry("tracestate", "foo@=1,t@" + "v".repeat(15) + "=2");
  }

  @ParameterizedTest(name = "invalid traceparent {0}")
  @ValueSource(
      strings = {
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is forbidden
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // trace id too short
        "00-4bf92f3577b34da6a3ce929d0e0e47366-00f067aa0ba902b7-01", // trace id too long
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01", // parent id too short
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01", // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // flags too short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // version 00 has exactly 4
        // fields
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version too short
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", // wrong delimiter
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", // non-hex flags
        ""
      })
  void w3cRejectsMalformedTraceparent(String traceparent) {
    SpanContext context =
        extract(w3cOnly, Map.of("traceparent", traceparent, "tracestate", "kong=abc"));
    assertThat(context.isValid()).isFalse();
    // With no valid traceparent, tracestate must be ignored as well.
    assertThat(context.getTraceState().isEmpty()).isTrue();
  }

  @Test
  void w3cAcceptsAFutureVersionWithExtraFields() {
    // A higher version may append fields; a parser for version 00 reads the first four and ignores
    // the rest.
    SpanContext context =
        extract(
            w3cOnly,
            Map.of(
                "traceparent",
                "cc-" + TRACE_ID + "-" + SPAN_ID + "-01-what-the-future-will-be-like"));
    assertThat(context.isValid()).isTrue();
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(context.isSampled()).isTrue();
  }

  @Test
  void w3cIgnoresUnknownFlagBits() {
    SpanContext context =
        extract(w3cOnly, Map.of("traceparent", "00-" + TRACE_ID + "-" + SPAN_ID + "-09"));
    assertThat(context.isValid()).isTrue();
    assertThat(context.isSampled()).isTrue();
  }
}
