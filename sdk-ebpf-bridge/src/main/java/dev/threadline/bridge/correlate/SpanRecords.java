package dev.threadline.bridge.correlate;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.node.store.Attribute;
import dev.threadline.bridge.node.store.Origin;
import dev.threadline.bridge.node.store.SpanRecord;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SpanKind;
import dev.threadline.sdk.export.UrlRedaction;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.UrlAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * An S span as a store record: an ordinary span with origin S, named and attributed with the OTel
 * semantic conventions where one exists, and every join key (tuple, sequence numbers, request id,
 * propagated header, stamps) kept as an attribute so that a store holding several hosts' spans can
 * make the cross-host joins. Only the headers that are join keys are copied: Authorization, Cookie
 * and the rest of the captured head never leave the bridge, and secrets in the query string are
 * redacted.
 */
final class SpanRecords {
  /** The instrumentation scope of every S span. */
  static final String SCOPE = "threadline-bridge";

  private SpanRecords() {}

  /** The attributes that do not change when the span is joined. */
  static List<Attribute> baseAttributes(SSpan s, UrlRedaction redaction) {
    List<Attribute> a = new ArrayList<>(24);
    a.add(Attribute.ofString(Origin.ATTRIBUTE, "S"));
    a.add(Attribute.ofString("threadline.s.side", s.kind().code()));
    a.add(Attribute.ofString("network.protocol.name", s.protocol()));
    a.add(Attribute.ofString(NetworkAttributes.NETWORK_TRANSPORT.getKey(), "tcp"));
    a.add(integer("process.pid", s.pid()));
    a.add(integer("thread.id", s.requestTid()));
    a.add(Attribute.ofString("thread.name", s.comm()));
    endpoint(a, "network.local", s.local());
    endpoint(a, "network.peer", s.remote());
    Endpoint server = s.kind() == SpanKind.CLIENT ? s.remote() : s.local();
    a.add(Attribute.ofString(ServerAttributes.SERVER_ADDRESS.getKey(), host(server)));
    a.add(integer(ServerAttributes.SERVER_PORT.getKey(), server.port()));
    if (s.kind() == SpanKind.SERVER) {
      a.add(Attribute.ofString(ClientAttributes.CLIENT_ADDRESS.getKey(), host(s.remote())));
      a.add(integer(ClientAttributes.CLIENT_PORT.getKey(), s.remote().port()));
    }
    a.add(integer("threadline.tcp.request_seq", s.requestSeq()));
    if (s.responseSeq() >= 0) {
      a.add(integer("threadline.tcp.response_seq", s.responseSeq()));
    }
    a.add(integer("threadline.request.bytes", s.requestBytes()));
    a.add(integer("threadline.response.bytes", s.responseBytes()));
    http(a, s.request(), s.response(), redaction);
    stamp(a, "threadline.stamp.request", s.requestStamp());
    stamp(a, "threadline.stamp.response", s.responseStamp());
    return a;
  }

  /** "GET /path" for HTTP (no query: names stay low in cardinality), "TCP exchange" otherwise. */
  static String name(SSpan s) {
    if (s.request() == null) {
      return "TCP exchange";
    }
    String target = s.path() == null ? "" : s.path();
    int query = target.indexOf('?');
    return s.method() + " " + (query >= 0 ? target.substring(0, query) : target);
  }

  /** The record as it stands: in {@code traceId}, under {@code parentSpanId}, joined by a rule. */
  static SpanRecord record(
      SSpan s,
      String traceId,
      String spanId,
      String parentSpanId,
      String service,
      long monotonicToEpochNanos,
      List<Attribute> base,
      JoinRule rule,
      boolean inferred) {
    List<Attribute> attributes = base;
    if (rule != null) {
      attributes = new ArrayList<>(base.size() + 2);
      attributes.addAll(base);
      attributes.add(Attribute.ofString(JoinRule.ATTRIBUTE, rule.key()));
      if (inferred) {
        attributes.add(new Attribute(JoinRule.INFERRED_ATTRIBUTE, "true", "bool"));
      }
    }
    int status = s.status();
    return new SpanRecord(
        traceId,
        spanId,
        parentSpanId,
        name(s),
        s.kind() == SpanKind.CLIENT ? "CLIENT" : "SERVER",
        s.startNanos() + monotonicToEpochNanos,
        s.endNanos() + monotonicToEpochNanos,
        service,
        SCOPE,
        errorStatus(s.kind(), status) ? "ERROR" : "UNSET",
        "",
        Origin.S,
        attributes,
        List.of(
            Attribute.ofString("service.name", service), Attribute.ofString(Origin.ATTRIBUTE, "S")),
        List.of());
  }

  /** HTTP semantic conventions: 5xx is an error on both sides, 4xx only on the client side. */
  private static boolean errorStatus(SpanKind kind, int status) {
    return status >= 500 || (kind == SpanKind.CLIENT && status >= 400);
  }

  private static void http(
      List<Attribute> a, HttpMessage request, HttpMessage response, UrlRedaction redaction) {
    if (request == null) {
      return;
    }
    a.add(Attribute.ofString(HttpAttributes.HTTP_REQUEST_METHOD.getKey(), request.method()));
    String target = request.target() == null ? "" : request.target();
    int query = target.indexOf('?');
    a.add(
        Attribute.ofString(
            UrlAttributes.URL_PATH.getKey(), query >= 0 ? target.substring(0, query) : target));
    if (query >= 0) {
      a.add(
          Attribute.ofString(
              UrlAttributes.URL_QUERY.getKey(),
              redaction.redactQuery(target.substring(query + 1))));
    }
    a.add(Attribute.ofString("network.protocol.version", version(request.version())));
    if (response != null) {
      a.add(integer(HttpAttributes.HTTP_RESPONSE_STATUS_CODE.getKey(), response.status()));
    }
    copyHeader(a, request, "traceparent", "threadline.request.traceparent");
    copyHeader(a, request, "b3", "threadline.request.b3");
    copyHeader(a, request, "uber-trace-id", "threadline.request.uber_trace_id");
    String requestId = PayloadContext.requestId(request);
    if (requestId != null) {
      a.add(Attribute.ofString("threadline.request.request_id", requestId));
    }
    String responseId = PayloadContext.requestId(response);
    if (responseId != null) {
      a.add(Attribute.ofString("threadline.response.request_id", responseId));
    }
  }

  private static void copyHeader(List<Attribute> a, HttpMessage m, String header, String key) {
    String value = m.header(header);
    if (value != null) {
      a.add(Attribute.ofString(key, value));
    }
  }

  private static void stamp(List<Attribute> a, String prefix, ThreadStamp stamp) {
    if (stamp != null) {
      a.add(Attribute.ofString(prefix + ".trace_id", stamp.traceId()));
      a.add(Attribute.ofString(prefix + ".span_id", stamp.spanId()));
    }
  }

  private static void endpoint(List<Attribute> a, String prefix, Endpoint e) {
    a.add(Attribute.ofString(prefix + ".address", host(e)));
    a.add(integer(prefix + ".port", e.port()));
  }

  private static String host(Endpoint e) {
    return e.address().getHostAddress();
  }

  private static String version(String httpVersion) {
    return httpVersion != null && httpVersion.startsWith("HTTP/")
        ? httpVersion.substring(5)
        : String.valueOf(httpVersion);
  }

  private static Attribute integer(String key, long value) {
    return new Attribute(key, Long.toString(value), "int");
  }
}
