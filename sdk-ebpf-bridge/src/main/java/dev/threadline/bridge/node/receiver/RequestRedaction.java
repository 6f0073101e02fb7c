package dev.threadline.bridge.node.receiver;

import dev.threadline.sdk.export.UrlRedaction;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes secrets from an export request before the node stores or forwards it: captured credential
 * headers ({@link SensitiveAttributes}) become {@value SensitiveAttributes#REDACTED}, and URL
 * attributes ({@code url.full}, {@code url.query}, {@code url.path}, {@code http.url}, {@code
 * http.target}) lose listed query parameters' values and userinfo ({@link UrlRedaction}). Resource,
 * span, event and link attributes are all looked at.
 *
 * <p>A request with nothing to redact is returned as the very same object, so the caller can tell
 * and forward the bytes it received; otherwise only the messages on the way to a changed attribute
 * are rebuilt. Stateless apart from the immutable rules; safe on any thread.
 */
final class RequestRedaction {
  private final UrlRedaction urls;

  RequestRedaction(UrlRedaction urls) {
    this.urls = urls;
  }

  /** {@code request} itself when nothing in it is secret, else a redacted copy. */
  ExportTraceServiceRequest redact(ExportTraceServiceRequest request) {
    ExportTraceServiceRequest.Builder builder = null;
    for (int i = 0; i < request.getResourceSpansCount(); i++) {
      ResourceSpans resourceSpans = request.getResourceSpans(i);
      ResourceSpans redacted = redact(resourceSpans);
      if (redacted != resourceSpans) {
        if (builder == null) {
          builder = request.toBuilder();
        }
        builder.setResourceSpans(i, redacted);
      }
    }
    return builder == null ? request : builder.build();
  }

  private ResourceSpans redact(ResourceSpans resourceSpans) {
    ResourceSpans.Builder builder = null;
    List<KeyValue> resource = attributes(resourceSpans.getResource().getAttributesList());
    if (resource != null) {
      builder = resourceSpans.toBuilder();
      builder.getResourceBuilder().clearAttributes().addAllAttributes(resource);
    }
    for (int i = 0; i < resourceSpans.getScopeSpansCount(); i++) {
      ScopeSpans scopeSpans = resourceSpans.getScopeSpans(i);
      ScopeSpans redacted = redact(scopeSpans);
      if (redacted != scopeSpans) {
        if (builder == null) {
          builder = resourceSpans.toBuilder();
        }
        builder.setScopeSpans(i, redacted);
      }
    }
    return builder == null ? resourceSpans : builder.build();
  }

  private ScopeSpans redact(ScopeSpans scopeSpans) {
    ScopeSpans.Builder builder = null;
    for (int i = 0; i < scopeSpans.getSpansCount(); i++) {
      Span span = scopeSpans.getSpans(i);
      Span redacted = redact(span);
      if (redacted != span) {
        if (builder == null) {
          builder = scopeSpans.toBuilder();
        }
        builder.setSpans(i, redacted);
      }
    }
    return builder == null ? scopeSpans : builder.build();
  }

  private Span redact(Span span) {
    Span.Builder builder = null;
    List<KeyValue> attributes = attributes(span.getAttributesList());
    if (attributes != null) {
      builder = span.toBuilder().clearAttributes().addAllAttributes(attributes);
    }
    for (int i = 0; i < span.getEventsCount(); i++) {
      List<KeyValue> event = attributes(span.getEvents(i).getAttributesList());
      if (event != null) {
        if (builder == null) {
          builder = span.toBuilder();
        }
        builder.setEvents(
            i, span.getEvents(i).toBuilder().clearAttributes().addAllAttributes(event));
      }
    }
    for (int i = 0; i < span.getLinksCount(); i++) {
      List<KeyValue> link = attributes(span.getLinks(i).getAttributesList());
      if (link != null) {
        if (builder == null) {
          builder = span.toBuilder();
        }
        builder.setLinks(i, span.getLinks(i).toBuilder().clearAttributes().addAllAttributes(link));
      }
    }
    return builder == null ? span : builder.build();
  }

  /** The attributes with secrets replaced, or {@code null} when none is secret. */
  private List<KeyValue> attributes(List<KeyValue> attributes) {
    List<KeyValue> out = null;
    for (int i = 0; i < attributes.size(); i++) {
      KeyValue attribute = attributes.get(i);
      KeyValue redacted = redact(attribute);
      if (redacted != attribute && out == null) {
        out = new ArrayList<>(attributes.subList(0, i));
      }
      if (out != null) {
        out.add(redacted);
      }
    }
    return out;
  }

  private KeyValue redact(KeyValue attribute) {
    String key = attribute.getKey();
    AnyValue value = attribute.getValue();
    if (SensitiveAttributes.isSensitive(key)) {
      // Keep the shape: the semantic conventions make captured headers string arrays.
      AnyValue redacted =
          value.hasArrayValue()
              ? AnyValue.newBuilder()
                  .setArrayValue(
                      ArrayValue.newBuilder()
                          .addValues(
                              AnyValue.newBuilder().setStringValue(SensitiveAttributes.REDACTED)))
                  .build()
              : AnyValue.newBuilder().setStringValue(SensitiveAttributes.REDACTED).build();
      return redacted.equals(value) ? attribute : attribute.toBuilder().setValue(redacted).build();
    }
    if (!value.hasStringValue()) {
      return attribute;
    }
    String text = value.getStringValue();
    String redacted = redactUrl(key, text);
    return redacted == text
        ? attribute
        : attribute.toBuilder().setValue(AnyValue.newBuilder().setStringValue(redacted)).build();
  }

  private String redactUrl(String key, String text) {
    switch (key) {
      case "url.full":
      case "http.url":
        return urls.redactUrl(text);
      case "url.query":
        return urls.redactQuery(text);
      case "url.path":
      case "http.target":
        return urls.redactTarget(text);
      default:
        return text;
    }
  }
}
