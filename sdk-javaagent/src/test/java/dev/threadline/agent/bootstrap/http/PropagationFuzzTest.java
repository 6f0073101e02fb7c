package dev.threadline.agent.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.sdk.Threadline;
import dev.threadline.sdk.testing.Fuzzer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes trace-context extraction as the agent does it for every incoming request: the propagators
 * Threadline configures (here all it offers: W3C traceparent/tracestate and baggage, B3 single and
 * multi, Jaeger, OT) reading hostile header values through {@link ServerSpans}'s own getter. No
 * input may throw (which would switch the servlet instrumentation off), leak its context past the
 * request, or yield an ill-formed or oversized trace context.
 */
class PropagationFuzzTest {
  private static final String[] EXTRA_HEADERS = {"uberctx-user", "ot-baggage-user", "X-Unknown"};

  /** The baggage parser warns about every malformed member; here that is every other input. */
  private static final Logger BAGGAGE_LOG = Logger.getLogger("io.opentelemetry.api.baggage");

  private static Threadline threadline;

  @BeforeAll
  static void install() {
    threadline =
        Threadline.builder()
            .setRegisterGlobal(false)
            .setShutdownHook(false)
            .setProperty("otel.traces.exporter", "none")
            .setProperty("otel.propagators", "tracecontext,baggage,b3,b3multi,jaeger,ottrace")
            .install();
    AgentTracing.set(threadline.openTelemetry());
    ServerSpans.resetPropagationHeaders();
    BAGGAGE_LOG.setLevel(Level.OFF);
  }

  @AfterAll
  static void close() {
    BAGGAGE_LOG.setLevel(null);
    AgentTracing.set(OpenTelemetry.noop());
    ServerSpans.resetPropagationHeaders();
    threadline.close();
  }

  /** Header values as one input: joined by NUL, which the target splits them at again. */
  private static String values(String... values) {
    return String.join("\0", values);
  }

  @Test
  void extractionOfHostileHeadersNeverThrowsLeaksOrGrowsTheContext() throws InterruptedException {
    List<String> names = new ArrayList<>(List.of(ServerSpans.propagationHeaders()));
    assertThat(names)
        .contains("traceparent", "tracestate", "baggage", "b3", "X-B3-TraceId", "uber-trace-id");
    names.addAll(List.of(EXTRA_HEADERS));

    Fuzzer.Result result =
        Fuzzer.named("propagation")
            .seed(
                values(
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"))
            .seed("4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1-0af7651916cd43dd")
            .seed(
                values(
                    "4bf92f3577b34da6a3ce929d0e0e4736",
                    "00f067aa0ba902b7",
                    "1",
                    "0af7651916cd43dd"))
            .seed(values("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1", "user%3Dalice"))
            .seed("key1=value1;property1;property2, key2 = value2, key3=value3; pk=pv")
            .seed(values("4bf92f3577b34da6", "00f067aa0ba902b7", "true"))
            .dictionary(
                "00-", "-01", "ff-", ",", "=", ";", "%", "%zz", "@", "d", "true", ":", "-0-")
            .maxLength(16 * 1024)
            .defaultInputs(100_000)
            .run((input, random) -> extract(names, input, random));
    assertThat(result.rejected()).isZero();
    assertThat(Instrumentations.isEnabled(ServerSpans.INSTRUMENTATION)).isTrue();
  }

  private static void extract(List<String> names, byte[] input, SplittableRandom random) {
    String[] values = new String(input, StandardCharsets.ISO_8859_1).split("\0", -1);
    int headers = Math.min(values.length, 1 + random.nextInt(names.size()));
    // As a request carries them: a name may repeat (every value of it is passed, in order).
    Map<String, List<String>> fields = new LinkedHashMap<>();
    Map<String, String> spelling = new LinkedHashMap<>();
    for (int i = 0; i < headers; i++) {
      String name = names.get(random.nextInt(names.size()));
      String key = name.toLowerCase(Locale.ROOT);
      spelling.putIfAbsent(key, random.nextBoolean() ? key : name.toUpperCase(Locale.ROOT));
      List<String> all = fields.computeIfAbsent(key, k -> new ArrayList<>());
      if (random.nextInt(16) != 0) {
        all.add(values[i]);
      }
    }
    String[] headerNames = spelling.values().toArray(new String[0]);
    String[][] headerValues = new String[headerNames.length][];
    int index = 0;
    for (List<String> all : fields.values()) {
      headerValues[index++] = all.isEmpty() ? null : all.toArray(new String[0]);
    }
    Context before = Context.current();
    ServerSpan span =
        ServerSpans.start(
            headerNames,
            headerValues,
            "GET",
            "http",
            "localhost",
            8080,
            "/",
            null,
            "127.0.0.1",
            null,
            "HTTP/1.1");
    assertThat(span).as("the instrumentation caught a throwable").isNotNull();
    SpanContext context = span.span().getSpanContext();
    Baggage baggage = Baggage.current();
    span.closeScope();
    span.end(200, null);
    assertThat(Context.current()).isSameAs(before);
    assertThat(context.isValid()).isTrue();
    assertThat(context.getTraceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(context.getSpanId()).matches("[0-9a-f]{16}");
    assertThat(context.getTraceState().size()).isLessThanOrEqualTo(32);
    // What is sent on is read back the same: a valid traceparent and the same tracestate.
    Map<String, String> sent = new LinkedHashMap<>();
    AgentTracing.propagator().inject(Context.root().with(span.span()), sent, Map::put);
    assertThat(sent.get("traceparent"))
        .isEqualTo(
            "00-"
                + context.getTraceId()
                + "-"
                + context.getSpanId()
                + "-"
                + context.getTraceFlags().asHex());
    SpanContext again =
        io.opentelemetry.api.trace.Span.fromContext(
                RequestHeaders.extract(
                    Context.root(),
                    new String[] {"traceparent", "tracestate"},
                    new String[][] {
                      {sent.get("traceparent")},
                      sent.containsKey("tracestate") ? new String[] {sent.get("tracestate")} : null
                    }))
            .getSpanContext();
    assertThat(again.getTraceState().asMap()).isEqualTo(context.getTraceState().asMap());
    // Baggage comes from the headers only (and is current in the request's scope): never more
    // entries than the values' characters, plus one per header for Jaeger's and OT's
    // (uberctx-<key>, ot-baggage-<key>: the key is in the name, the value may be empty).
    assertThat(baggage.size()).isLessThanOrEqualTo(input.length + headers);
  }
}
