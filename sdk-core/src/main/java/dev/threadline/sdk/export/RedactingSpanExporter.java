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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Replaces the values of credential headers captured as span attributes ({@code
 * http.request.header.authorization}, {@code http.response.header.set-cookie}, API keys, ...) with
 * {@value SensitiveHeaders#REDACTED} before the spans are handed to the real exporter. Spans
 * without such attributes pass through untouched, without copying.
 */
public final class RedactingSpanExporter implements SpanExporter {
  // "http.request.header." and "http.response.header.": the templates' keys for an empty name.
  private static final String REQUEST_HEADER =
      HttpAttributes.HTTP_REQUEST_HEADER.getAttributeKey("").getKey();
  private static final String RESPONSE_HEADER =
      HttpAttributes.HTTP_RESPONSE_HEADER.getAttributeKey("").getKey();

  private final SpanExporter delegate;

  private RedactingSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  public static SpanExporter wrap(SpanExporter delegate) {
    return delegate instanceof RedactingSpanExporter
        ? delegate
        : new RedactingSpanExporter(delegate);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    // Runs on the export thread, never on an application thread: a list per batch is fine.
    List<SpanData> out = new ArrayList<>(spans.size());
    boolean changed = false;
    for (SpanData span : spans) {
      Attributes redacted = redact(span.getAttributes());
      if (redacted == null) {
        out.add(span);
      } else {
        out.add(new RedactedSpan(span, redacted));
        changed = true;
      }
    }
    return delegate.export(changed ? out : spans);
  }

  /** The attributes with secrets replaced, or {@code null} when there is nothing to replace. */
  static Attributes redact(Attributes attributes) {
    boolean[] sensitive = {false};
    attributes.forEach((key, value) -> sensitive[0] |= isSensitiveKey(key.getKey()));
    if (!sensitive[0]) {
      return null;
    }
    AttributesBuilder builder = Attributes.builder();
    attributes.forEach(
        (key, value) -> {
          if (!isSensitiveKey(key.getKey())) {
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
