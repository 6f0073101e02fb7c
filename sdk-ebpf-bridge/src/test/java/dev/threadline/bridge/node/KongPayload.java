package dev.threadline.bridge.node;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;

/**
 * What Kong's opentelemetry plugin sends for one proxied request (Kong 3.x, OTLP/HTTP protobuf):
 * scope {@code kong-internal}, a SERVER span {@code kong}, {@code kong.router}, {@code
 * kong.access.plugin.*}, {@code kong.dns}, and the {@code kong.balancer} CLIENT span whose id Kong
 * injects upstream in {@code traceparent}; plus the upstream service's own SERVER span, sent by its
 * SDK, as the child of that id.
 */
final class KongPayload {
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String KONG_SPAN = "00f067aa0ba90201";
  static final String ROUTER_SPAN = "00f067aa0ba90202";
  static final String PLUGIN_SPAN = "00f067aa0ba90203";
  static final String DNS_SPAN = "00f067aa0ba90204";
  static final String BALANCER_SPAN = "00f067aa0ba90205";
  static final String ORDERS_SPAN = "00f067aa0ba90206";
  static final String JDBC_SPAN = "00f067aa0ba90207";
  static final String SYSTEM_SPAN = "00f067aa0ba90208";
  static final String NETWORK_SPAN = "00f067aa0ba90209";

  private static final HexFormat HEX = HexFormat.of();

  private KongPayload() {}

  /**
   * Kong's request for one proxied call starting at {@code startNanos}, with the credential headers
   * a plugin configured to capture them sends.
   */
  static ExportTraceServiceRequest kong(long startNanos) {
    return kong(startNanos, true);
  }

  /** Kong's request, with or without captured credential headers (Kong's default: without). */
  static ExportTraceServiceRequest kong(long startNanos, boolean capturedCredentials) {
    Span.Builder rootSpan =
        span(KONG_SPAN, "", "kong", Span.SpanKind.SPAN_KIND_SERVER, startNanos, 48_000_000)
            .addAttributes(str("http.method", "GET"))
            .addAttributes(str("http.url", "http://shop.example/orders/42?expand=items"))
            .addAttributes(str("http.host", "shop.example"))
            .addAttributes(str("http.scheme", "http"))
            .addAttributes(str("http.flavor", "1.1"))
            .addAttributes(str("net.peer.ip", "10.0.0.7"))
            .addAttributes(str("http.client_ip", "10.0.0.7"))
            .addAttributes(integer("http.status_code", 200))
            .addAttributes(str("kong.request.id", "8c1a2b3d4e5f"));
    if (capturedCredentials) {
      rootSpan
          .addAttributes(str("http.request.header.authorization", "Bearer secret-token"))
          .addAttributes(str("http.request.header.x-api-key", "k-123"));
    }
    Span root = rootSpan.build();
    Span router =
        span(
                ROUTER_SPAN,
                KONG_SPAN,
                "kong.router",
                Span.SpanKind.SPAN_KIND_INTERNAL,
                startNanos + 200_000,
                150_000)
            .build();
    Span plugin =
        span(
                PLUGIN_SPAN,
                KONG_SPAN,
                "kong.access.plugin.key-auth",
                Span.SpanKind.SPAN_KIND_INTERNAL,
                startNanos + 400_000,
                900_000)
            .build();
    Span dns =
        span(
                DNS_SPAN,
                KONG_SPAN,
                "kong.dns",
                Span.SpanKind.SPAN_KIND_CLIENT,
                startNanos + 1_400_000,
                600_000)
            .addAttributes(str("dns.record.domain", "orders.internal"))
            .addAttributes(str("dns.record.ip", "10.0.1.12"))
            .build();
    Span balancer =
        span(
                BALANCER_SPAN,
                KONG_SPAN,
                "kong.balancer",
                Span.SpanKind.SPAN_KIND_CLIENT,
                startNanos + 2_100_000,
                45_000_000)
            .addAttributes(integer("try_count", 1))
            .addAttributes(str("net.peer.ip", "10.0.1.12"))
            .addAttributes(integer("net.peer.port", 8080))
            .addAttributes(str("net.peer.name", "orders.internal"))
            .addAttributes(integer("http.status_code", 200))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(str("service.name", "kong"))
                        .addAttributes(str("service.instance.id", "kong-dp-1"))
                        .addAttributes(str("service.version", "3.9.1")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            InstrumentationScope.newBuilder()
                                .setName("kong-internal")
                                .setVersion("0.1.0"))
                        .addSpans(root)
                        .addSpans(router)
                        .addSpans(plugin)
                        .addSpans(dns)
                        .addSpans(balancer)))
        .build();
  }

  /** The upstream service's spans, children of Kong's balancer span; the JDBC one failed. */
  static ExportTraceServiceRequest upstream(long startNanos) {
    Span server =
        span(
                ORDERS_SPAN,
                BALANCER_SPAN,
                "GET /orders/{id}",
                Span.SpanKind.SPAN_KIND_SERVER,
                startNanos + 3_000_000,
                42_000_000)
            .addAttributes(str("http.request.method", "GET"))
            .addAttributes(str("http.route", "/orders/{id}"))
            .addAttributes(integer("http.response.status_code", 500))
            .setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("db down"))
            .build();
    Span jdbc =
        span(
                JDBC_SPAN,
                ORDERS_SPAN,
                "SELECT shop.orders",
                Span.SpanKind.SPAN_KIND_CLIENT,
                startNanos + 5_000_000,
                30_000_000)
            .addAttributes(str("db.system", "mariadb"))
            .addAttributes(str("db.query.text", "select * from orders where id = ?"))
            .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
            .addEvents(
                Span.Event.newBuilder()
                    .setName("exception")
                    .setTimeUnixNano(startNanos + 34_000_000)
                    .addAttributes(
                        str("exception.type", "java.sql.SQLTransientConnectionException")))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "orders")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("dev.threadline"))
                        .addSpans(server)
                        .addSpans(jdbc)))
        .build();
  }

  /**
   * What the kernel side will add: an S span (nginx's write of the upstream request, seen at the
   * syscall) and an N span (the TCP exchange), marked with {@code threadline.span.origin}.
   */
  static ExportTraceServiceRequest kernel(long startNanos) {
    Span system =
        span(
                SYSTEM_SPAN,
                BALANCER_SPAN,
                "HTTP GET /orders/42",
                Span.SpanKind.SPAN_KIND_CLIENT,
                startNanos + 2_400_000,
                44_200_000)
            .addAttributes(str("threadline.span.origin", "S"))
            .addAttributes(str("process.executable.name", "nginx"))
            .addAttributes(integer("thread.id", 4711))
            .addAttributes(integer("tcp.seq.request", 3_141_592_653L))
            .build();
    Span network =
        span(
                NETWORK_SPAN,
                SYSTEM_SPAN,
                "tcp 10.0.0.5:51234 -> 10.0.1.12:8080",
                Span.SpanKind.SPAN_KIND_CLIENT,
                startNanos + 2_500_000,
                44_000_000)
            .addAttributes(str("threadline.span.origin", "N"))
            .addAttributes(integer("network.bytes.sent", 412))
            .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", "kong")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("threadline.ebpf"))
                        .addSpans(system)
                        .addSpans(network)))
        .build();
  }

  static Span.Builder span(
      String spanId, String parent, String name, Span.SpanKind kind, long start, long took) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HEX.parseHex(TRACE_ID)))
        .setSpanId(ByteString.copyFrom(HEX.parseHex(spanId)))
        .setParentSpanId(
            parent.isEmpty() ? ByteString.EMPTY : ByteString.copyFrom(HEX.parseHex(parent)))
        .setName(name)
        .setKind(kind)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + took);
  }

  static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
