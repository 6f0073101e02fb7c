package dev.threadline.benchmarks.export;

import dev.threadline.sdk.export.RedactingSpanExporter;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.DbAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import io.opentelemetry.semconv.UserAgentAttributes;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link RedactingSpanExporter} adds per span on the export thread, for a batch of 512 real
 * SDK spans shaped like the overhead harness's JDBC app (per request: a SERVER span with its HTTP
 * attributes, a controller span, eleven JDBC CLIENT spans) that hold no secret, so every span must
 * pass through as it is. The exporter behind it only takes the batch.
 *
 * <p>The set-up also iterates the spans' attributes as the OTLP marshaler does (see {@link
 * #iterateAsTheMarshalerDoes}). It fails unless a span with an {@code Authorization} header and a
 * {@code token} query parameter comes out redacted; the tear-down fails unless every batch reached
 * the exporter behind it with the very spans it was given.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RedactionBenchmark {
  private static final int BATCH = 512;
  private static final AttributeKey<List<String>> AUTHORIZATION =
      HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("authorization");

  private List<SpanData> batch;
  private Taking behind;
  private SpanExporter redacting;
  private long exports;

  @Setup(Level.Trial)
  public void setUp() {
    InMemorySpanExporter memory = InMemorySpanExporter.create();
    SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory)).build();
    Tracer tracer = provider.get("bench");
    while (memory.getFinishedSpanItems().size() < BATCH) {
      request(tracer);
    }
    batch = List.copyOf(memory.getFinishedSpanItems().subList(0, BATCH));
    behind = new Taking();
    redacting = RedactingSpanExporter.wrap(behind);
    checkRedacts(tracer, memory);
    for (int i = 0; i < 20; i++) {
      iterateAsTheMarshalerDoes();
    }
  }

  /** One request of the JDBC app: SERVER, controller, eleven SELECTs. */
  private static void request(Tracer tracer) {
    Span server =
        tracer
            .spanBuilder("GET /report")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
            .setAttribute(UrlAttributes.URL_SCHEME, "http")
            .setAttribute(UrlAttributes.URL_PATH, "/report")
            .setAttribute(ServerAttributes.SERVER_ADDRESS, "127.0.0.1")
            .setAttribute(ServerAttributes.SERVER_PORT, 8080L)
            .setAttribute(ClientAttributes.CLIENT_ADDRESS, "127.0.0.1")
            .setAttribute(UserAgentAttributes.USER_AGENT_ORIGINAL, "wrk")
            .setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, "1.1")
            .startSpan();
    try (io.opentelemetry.context.Scope ignored = server.makeCurrent()) {
      Span controller = tracer.spanBuilder("ReportController.report").startSpan();
      try (io.opentelemetry.context.Scope inner = controller.makeCurrent()) {
        for (int i = 0; i < 11; i++) {
          tracer
              .spanBuilder("SELECT shop.items")
              .setSpanKind(SpanKind.CLIENT)
              .setAttribute(DbAttributes.DB_SYSTEM_NAME, "h2")
              .setAttribute(DbAttributes.DB_NAMESPACE, "shop")
              .setAttribute(DbAttributes.DB_QUERY_TEXT, "SELECT id, name FROM items WHERE id = ?")
              .setAttribute(DbAttributes.DB_OPERATION_NAME, "SELECT")
              .setAttribute(DbAttributes.DB_COLLECTION_NAME, "items")
              .startSpan()
              .end();
        }
      } finally {
        controller.end();
      }
    } finally {
      server.setAttribute(HttpAttributes.HTTP_ROUTE, "/report");
      server.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, 200L);
      server.end();
    }
  }

  /** The benchmark measures the path of spans without secrets; this checks the other path works. */
  private void checkRedacts(Tracer tracer, InMemorySpanExporter memory) {
    memory.reset();
    tracer
        .spanBuilder("GET /items")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(AUTHORIZATION, List.of("Bearer abc"))
        .setAttribute(UrlAttributes.URL_QUERY, "token=abc&page=2")
        .startSpan()
        .end();
    redacting.export(memory.getFinishedSpanItems());
    SpanData out = behind.last.iterator().next();
    if (out.getAttributes().get(AUTHORIZATION).get(0).contains("abc")
        || out.getAttributes().get(UrlAttributes.URL_QUERY).contains("abc")) {
      throw new IllegalStateException("a secret was not redacted: " + out.getAttributes());
    }
    behind.last = null;
    behind.taken = 0;
  }

  /**
   * In the agent the OTLP marshaler iterates the same attributes with consumers of its own, so the
   * SDK's {@code forEach} calls several: without them here, the JIT would inline this exporter's
   * one consumer into it and measure a call the real process does not make.
   */
  private void iterateAsTheMarshalerDoes() {
    long[] seen = new long[3];
    for (SpanData span : batch) {
      span.getAttributes().forEach((key, value) -> seen[0] += key.getKey().length());
      span.getAttributes().forEach((key, value) -> seen[1] += value.hashCode());
      span.getAttributes().forEach((key, value) -> seen[2]++);
    }
    if (seen[2] == 0) {
      throw new IllegalStateException("the batch's spans hold no attributes");
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public CompletableResultCode export() {
    exports++;
    return redacting.export(batch);
  }

  @TearDown(Level.Trial)
  public void check() {
    if (behind.taken != exports || exports == 0) {
      throw new IllegalStateException(behind.taken + " batches taken for " + exports + " exports");
    }
    if (behind.last.size() != BATCH) {
      throw new IllegalStateException("the last batch held " + behind.last.size() + " spans");
    }
    int i = 0;
    for (SpanData span : behind.last) {
      if (span != batch.get(i++)) {
        throw new IllegalStateException("span " + (i - 1) + " was copied: it holds no secret");
      }
    }
  }

  /** Takes each batch and keeps the last one. */
  private static final class Taking implements SpanExporter {
    Collection<SpanData> last;
    long taken;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      last = spans;
      taken++;
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
