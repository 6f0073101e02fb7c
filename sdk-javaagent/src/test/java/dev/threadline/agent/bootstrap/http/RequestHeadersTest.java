package dev.threadline.agent.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.sdk.Threadline;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server getter gives the propagators every value of a repeated header. */
class RequestHeadersTest {
  private static final String TRACE_ID = "12345678901234567890123456789012";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-1234567890123456-01";
  private static Threadline threadline;

  @BeforeAll
  static void install() {
    threadline =
        Threadline.builder()
            .setRegisterGlobal(false)
            .setShutdownHook(false)
            .setProperty("otel.traces.exporter", "none")
            .setProperty("otel.propagators", "tracecontext,baggage,b3multi")
            .install();
    AgentTracing.set(threadline.openTelemetry());
    ServerSpans.resetPropagationHeaders();
  }

  @AfterAll
  static void close() {
    AgentTracing.set(OpenTelemetry.noop());
    ServerSpans.resetPropagationHeaders();
    threadline.close();
  }

  private static SpanContext extract(String[] traceparents, String... tracestates) {
    return Span.fromContext(
            RequestHeaders.extract(
                Context.root(),
                new String[] {"Traceparent", "TRACESTATE", "X-B3-TraceId"},
                new String[][] {traceparents, tracestates, null}))
        .getSpanContext();
  }

  @Test
  void everyTracestateValueIsOneList() {
    SpanContext context =
        extract(new String[] {TRACEPARENT}, "foo=1,bar=2", "", "rojo=1,congo=2", "baz=3");
    assertThat(context.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(context.getTraceState().asMap().keySet())
        .containsExactly("foo", "bar", "rojo", "congo", "baz");
  }

  @Test
  void aRepeatedTraceparentIsNoParent() {
    assertThat(extract(new String[] {TRACEPARENT, TRACEPARENT}, "foo=1").isValid()).isFalse();
    assertThat(extract(new String[] {TRACEPARENT}).isValid()).isTrue();
    assertThat(extract(new String[0]).isValid()).isFalse();
  }

  @Test
  void nullValuesAreNoValues() {
    assertThat(extract(new String[] {null, TRACEPARENT, null}).isValid()).isTrue();
    assertThat(extract(new String[] {null, null}).isValid()).isFalse();
    SpanContext context = extract(new String[] {TRACEPARENT}, null, "foo=1", null, "bar=2", null);
    assertThat(context.getTraceState().asMap().keySet()).containsExactly("foo", "bar");
  }

  @Test
  void oneValuePerHeaderStillWorks() {
    ServerSpan span =
        ServerSpans.start(
            new String[] {"traceparent", "tracestate"},
            new String[] {TRACEPARENT, "foo=1"},
            "GET",
            "http",
            "localhost",
            8080,
            "/",
            null,
            "127.0.0.1",
            null,
            "HTTP/1.1");
    try {
      assertThat(span.span().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
      assertThat(span.span().getSpanContext().getTraceState().get("foo")).isEqualTo("1");
    } finally {
      span.closeScope();
      span.end(200, null);
    }
  }

  @Test
  void servletEnumerationsBecomeArrays() {
    assertThat(RequestHeaders.values(Collections.enumeration(List.of("a", "b"))))
        .containsExactly("a", "b");
    assertThat(RequestHeaders.values(Collections.enumeration(List.of("a")))).containsExactly("a");
    assertThat(RequestHeaders.values(Collections.enumeration(List.of("a", "b", "c"))))
        .containsExactly("a", "b", "c");
    assertThat(RequestHeaders.values(Collections.emptyEnumeration())).isNull();
    assertThat(RequestHeaders.values(null)).isNull();
  }
}
