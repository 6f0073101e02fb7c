package dev.threadline.sdk.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch as the batch processor hands it over: spans without secrets reach the exporter behind as
 * the very same objects, in their places, and only the spans with secrets are replaced.
 */
class RedactingSpanExporterTest {
  private static final AttributeKey<List<String>> AUTHORIZATION =
      HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("authorization");

  private final InMemorySpanExporter memory = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(memory))
          .build()
          .get("test");
  private final Taking behind = new Taking();
  private final SpanExporter redacting = RedactingSpanExporter.wrap(behind);

  @Test
  void aBatchWithoutSecretsIsPassedOnAsItIs() {
    List<SpanData> batch = List.of(clean("a"), clean("b"), clean("c"));

    redacting.export(batch);

    assertThat(behind.last).isSameAs(batch);
  }

  @Test
  void onlyTheSpansWithSecretsAreReplacedAndTheBatchKeepsItsOrder() {
    List<SpanData> batch =
        List.of(clean("a"), clean("b"), withSecrets("c"), clean("d"), withSecrets("e"));

    redacting.export(batch);

    List<SpanData> out = new ArrayList<>(behind.last);
    assertThat(out).extracting(SpanData::getName).containsExactly("a", "b", "c", "d", "e");
    for (int i : new int[] {0, 1, 3}) {
      assertThat(out.get(i)).as(out.get(i).getName()).isSameAs(batch.get(i));
    }
    for (int i : new int[] {2, 4}) {
      SpanData span = out.get(i);
      assertThat(span).as(span.getName()).isNotSameAs(batch.get(i));
      assertThat(span.getAttributes().get(AUTHORIZATION)).containsExactly("REDACTED");
      assertThat(span.getAttributes().get(UrlAttributes.URL_QUERY))
          .isEqualTo("page=2&token=REDACTED");
      assertThat(span.getAttributes().get(HttpAttributes.HTTP_REQUEST_METHOD)).isEqualTo("GET");
      assertThat(span.getSpanContext()).isEqualTo(batch.get(i).getSpanContext());
    }
  }

  private SpanData clean(String name) {
    return ended(
        name,
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
            .setAttribute(UrlAttributes.URL_PATH, "/items")
            .setAttribute(UrlAttributes.URL_QUERY, "page=2"));
  }

  private SpanData withSecrets(String name) {
    return ended(
        name,
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, "GET")
            .setAttribute(AUTHORIZATION, List.of("Bearer abc"))
            .setAttribute(UrlAttributes.URL_QUERY, "page=2&token=abc"));
  }

  private SpanData ended(String name, io.opentelemetry.api.trace.SpanBuilder builder) {
    memory.reset();
    builder.startSpan().end();
    SpanData span = memory.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo(name);
    return span;
  }

  /** Keeps the last batch it was given. */
  private static final class Taking implements SpanExporter {
    Collection<SpanData> last;

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      last = spans;
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
