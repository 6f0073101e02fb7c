package dev.threadline.bridge.node.receiver;

import com.google.protobuf.CodedInputStream;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.threadline.bridge.node.HttpReplies;
import dev.threadline.bridge.node.forward.Forwarder;
import dev.threadline.bridge.node.metrics.NodeMetrics;
import dev.threadline.bridge.node.store.TraceStore;
import dev.threadline.sdk.export.UrlRedaction;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OTLP/HTTP traces receiver, at {@code POST /v1/traces} (the OTLP path, which Kong's
 * opentelemetry plugin and every SDK use) and {@code POST /api/v1/otel/trace} (the DeepFlow agent's
 * path, so clients configured for DeepFlow can point at the node unchanged). Protobuf ({@code
 * application/x-protobuf}) and JSON ({@code application/json}), identity or gzip.
 *
 * <p>Nothing a client sends can crash the node or make it hold more than the limits: the body is
 * read up to its limit and no further (413), inflated up to its own limit and no further (413), and
 * anything that does not parse is a 400 whose body says why, encoded like the request.
 */
public final class OtlpReceiverHandler implements HttpHandler {
  /** The OTLP/HTTP traces path. */
  public static final String OTLP_PATH = "/v1/traces";

  /** The DeepFlow agent's OTLP traces path. */
  public static final String DEEPFLOW_PATH = "/api/v1/otel/trace";

  private static final Logger logger = Logger.getLogger(OtlpReceiverHandler.class.getName());
  private static final Set<String> PATHS = Set.of(OTLP_PATH, DEEPFLOW_PATH);

  private final ReceiverLimits limits;
  private final RequestRedaction redaction;
  private final TraceStore store;
  private final NodeMetrics metrics;
  private final Forwarder forwarder;

  /**
   * @param urls which query parameters are redacted before spans are stored or forwarded
   * @param forwarder where accepted requests are re-sent, or {@code null} for nowhere
   */
  public OtlpReceiverHandler(
      ReceiverLimits limits,
      UrlRedaction urls,
      TraceStore store,
      NodeMetrics metrics,
      Forwarder forwarder) {
    this.limits = limits;
    this.redaction = new RequestRedaction(urls);
    this.store = store;
    this.metrics = metrics;
    this.forwarder = forwarder;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!PATHS.contains(exchange.getRequestURI().getPath())) {
        plain(exchange, 404, "not found; OTLP traces go to POST " + OTLP_PATH);
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        plain(exchange, 405, "use POST");
        return;
      }
      String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      boolean json = type.equals("application/json");
      if (!json
          && !type.isEmpty()
          && !type.equals("application/x-protobuf")
          && !type.equals("application/protobuf")) {
        metrics.request("unsupported", "other");
        plain(
            exchange,
            415,
            "unsupported content type '"
                + type
                + "'; send application/x-protobuf or application/json");
        return;
      }
      String encoding = mediaType(exchange.getRequestHeaders().getFirst("Content-Encoding"));
      boolean gzip = encoding.equals("gzip") || encoding.equals("x-gzip");
      if (!gzip && !encoding.isEmpty() && !encoding.equals("identity")) {
        metrics.request("unsupported", json ? "json" : "protobuf");
        plain(
            exchange,
            415,
            "unsupported content encoding '" + encoding + "'; send gzip or identity");
        return;
      }
      try {
        receive(exchange, json, gzip);
      } catch (ReceiveException e) {
        metrics.request(
            e.status() == 413 ? "too_large" : "bad_request", json ? "json" : "protobuf");
        respond(exchange, e.status(), json, OtlpResponses.error(json, e.status(), e.getMessage()));
      } catch (RuntimeException | StackOverflowError e) {
        // A decoder bug must cost one request, never the node.
        logger.log(Level.WARNING, "threadline node: cannot process an export request", e);
        metrics.request("bad_request", json ? "json" : "protobuf");
        respond(
            exchange, 400, json, OtlpResponses.error(json, 400, "cannot process request: " + e));
      }
    }
  }

  private void receive(HttpExchange exchange, boolean json, boolean gzip)
      throws IOException, ReceiveException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declaredTooLarge(declared)) {
      throw ReceiveException.tooLarge(
          "body of " + declared.trim() + " bytes exceeds " + limits.maxBodyBytes());
    }
    byte[] raw;
    try (InputStream in = exchange.getRequestBody()) {
      raw = BoundedBody.read(in, limits.maxBodyBytes(), "body");
    }
    byte[] body = gzip ? BoundedBody.gunzip(raw, limits.maxDecodedBytes()) : raw;
    if (!gzip && body.length > limits.maxDecodedBytes()) {
      throw ReceiveException.tooLarge("body exceeds " + limits.maxDecodedBytes() + " bytes");
    }
    ExportTraceServiceRequest decoded = json ? OtlpJsonDecoder.decode(body) : parseProtobuf(body);
    ExportTraceServiceRequest request = redaction.redact(decoded);

    SpanConverter.Conversion conversion = SpanConverter.convert(request);
    TraceStore.AddResult added = store.add(conversion.spans());
    int received = conversion.spans().size() + conversion.rejected();
    int rejected = conversion.rejected() + added.rejected();
    metrics.received(received);
    metrics.rejected(rejected);
    metrics.duplicates(added.duplicates());
    metrics.request("accepted", json ? "json" : "protobuf");
    if (forwarder != null && received > 0) {
      // Protobuf without secrets goes on byte for byte (gzipped as it came); a redacted request,
      // and JSON, as the protobuf they now are: a secret the node will not store is not passed on.
      boolean asReceived = !json && request == decoded;
      forwarder.offer(
          asReceived ? (gzip ? raw : body) : request.toByteArray(), asReceived && gzip, received);
    }
    String message = "";
    if (rejected > 0) {
      message =
          conversion.firstRejection() != null
              ? conversion.firstRejection()
              : "trace holds the most spans one trace may ("
                  + store.limits().maxSpansPerTrace()
                  + ")";
    }
    respond(exchange, 200, json, OtlpResponses.success(json, rejected, message));
  }

  private boolean declaredTooLarge(String declared) {
    try {
      return Long.parseLong(declared.trim()) > limits.maxBodyBytes();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Parses a protobuf body; anything that is not a request is a 400. */
  static ExportTraceServiceRequest parseProtobuf(byte[] body) throws ReceiveException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(body);
      // Attribute values nest (arrays of maps of arrays ...); bound the recursion well below the
      // stack.
      in.setRecursionLimit(64);
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in);
      in.checkLastTagWas(0);
      return request;
    } catch (IOException e) {
      // InvalidProtocolBufferException, which is all an in-memory stream can throw.
      throw ReceiveException.badRequest(
          "invalid protobuf ExportTraceServiceRequest: " + e.getMessage());
    }
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon >= 0 ? header.substring(0, semicolon) : header)
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static void respond(HttpExchange exchange, int status, boolean json, byte[] body)
      throws IOException {
    HttpReplies.send(exchange, status, json ? "application/json" : "application/x-protobuf", body);
  }

  /** Also the answer to HEAD (405, as for GET: the receiver takes POST only), without the body. */
  private static void plain(HttpExchange exchange, int status, String message) throws IOException {
    HttpReplies.send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
