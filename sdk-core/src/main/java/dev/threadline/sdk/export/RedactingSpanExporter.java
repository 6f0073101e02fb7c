package dev.threadline.sdk.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Replaces the values of credential headers captured as span attributes ({@code
 * http.request.header.authorization}, {@code http.response.header.set-cookie}, API keys, ...) with
 * {@value SensitiveHeaders#REDACTED}, and removes URL secrets ({@link UrlRedaction}: listed query
 * parameters' values, userinfo) from {@code url.full}, {@code url.query}, {@code url.path} and the
 * older {@code http.url} and {@code http.target}, before the spans are handed to the real exporter.
 * Spans without such values pass through untouched, without copying.
 */
public final class RedactingSpanExporter implements SpanExporter {
  // "http.request.header." and "http.response.header.": the templates' keys for an empty name.
  private static final String REQUEST_HEADER =
      HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("").getKey();
  private static final String RESPONSE_HEADER =
      HttpAttributes.HTTP_RESPONSE_HEADER.getAttributeKey("").getKey();

  // The pre-1.20 HTTP keys, which only the incubating semantic conventions still name.
  private static final String OLD_HTTP_URL = "http.url";
  private static final String OLD_HTTP_TARGET = "http.target";

  private final SpanExporter delegate;
  private final UrlRedaction urls;

  private RedactingSpanExporter(SpanExporter delegate, UrlRedaction urls) {
    this.delegate = delegate;
    this.urls = urls;
  }

  /** Wraps {@code delegate}, redacting the {@link UrlRedaction#defaults() default} parameters. */
  public static SpanExporter wrap(SpanExporter delegate) {
    return wrap(delegate, UrlRedaction.defaults());
  }

  /** Wraps {@code delegate}; an exporter that already redacts is returned as it is. */
  public static SpanExporter wrap(SpanExporter delegate, UrlRedaction urls) {
    return delegate instanceof RedactingSpanExporter
        ? delegate
        : new RedactingSpanExporter(delegate, urls);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    SecretScan scan = new SecretScan();
    List<SpanData> out = null; // made at the first span with a secret: most batches have none
    int index = 0;
    for (SpanData span : spans) {
      Attributes attributes = span.getAttributes();
      if (scan.holdsSecret(attributes)) {
        if (out == null) {
          out = new ArrayList<>(spans.size());
          Iterator<SpanData> before = spans.iterator();
          for (int i = 0; i < index; i++) {
            out.add(before.next());
          }
        }
        out.add(new RedactedSpan(span, redacted(attributes)));
      } else if (out != null) {
        out.add(span);
      }
      index++;
    }
    return delegate.export(out == null ? spans : out);
  }

  /**
   * Whether any attribute needs redacting; one per batch, reused for each span of it (a consumer
   * per span would be two allocations per exported span).
   */
  private final class SecretScan implements BiConsumer<AttributeKey<?>, Object> {
    private boolean found;

    boolean holdsSecret(Attributes attributes) {
      found = false;
      attributes.forEach(this);
      return found;
    }

    @Override
    public void accept(AttributeKey<?> key, Object value) {
      if (!found) {
        found = isSensitiveKey(key.getKey()) || redactedUrl(key, value) != value;
      }
    }
  }

  /** A copy of {@code attributes} with their secrets replaced. */
  private Attributes redacted(Attributes attributes) {
    AttributesBuilder builder = Attributes.builder();
    attributes.forEach(
        (key, value) -> {
          Object url = redactedUrl(key, value);
          if (url != value) {
            builder.put(AttributeKey.stringKey(key.getKey()), (String) url);
          } else if (!isSensitiveKey(key.getKey())) {
            putUnchecked(builder, key, value);
          } else if (key.getType() == AttributeType.STRING_ARRAY) {
            builder.put(
                AttributeKey.stringArrayKey(key.getKey()), List.of(SensitiveHeaders.REDACTED));
          } else {
            builder.put(AttributeKey.stringKey(key.getKey()), SensitiveHeaders.REDACTED);
          }
        });
    return builder.build();
  }

  /** {@code value} itself, or the redacted URL when {@code key} holds one with a secret. */
  private Object redactedUrl(AttributeKey<?> key, Object value) {
    if (key.getType() != AttributeType.STRING) {
      return value;
    }
    String name = key.getKey();
    String text = (String) value;
    if (name.equals(UrlAttributes.URL_FULL.getKey()) || name.equals(OLD_HTTP_URL)) {
      return urls.redactUrl(text);
    }
    if (name.equals(UrlAttributes.URL_QUERY.getKey())) {
      return urls.redactQuery(text);
    }
    if (name.equals(OLD_HTTP_TARGET) || name.equals(UrlAttributes.URL_PATH.getKey())) {
      return urls.redactTarget(text);
    }
    return value;
  }

  static boolean isSensitiveKey(String key) {
    if (key.startsWith(REQUEST_HEADER)) {
      return SensitiveHeaders.isSensitive(key.substring(REQUEST_HEADER.length()));
    }
    if (key.startsWith(RESPONSE_HEADER)) {
      return SensitiveHeaders.isSensitive(key.substring(RESPONSE_HEADER.length()));
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T> void putUnchecked(
      AttributesBuilder builder, AttributeKey<T> key, Object value) {
    builder.put(key, (T) value);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "RedactingSpanExporter{" + delegate + "}";
  }

  private static final class RedactedSpan extends DelegatingSpanData {
    private final Attributes attributes;

    RedactedSpan(SpanData delegate, Attributes attributes) {
      super(delegate);
      this.attributes = attributes;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }
  }
}
