package dev.threadline.bridge.node.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.threadline.bridge.node.HttpReplies;
import dev.threadline.bridge.node.JsonOutput;
import dev.threadline.bridge.node.store.TraceQuery;
import dev.threadline.bridge.node.store.TraceSnapshot;
import dev.threadline.bridge.node.store.TraceStore;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JSON query API ({@code HEAD} of each answers its headers):
 *
 * <ul>
 *   <li>{@code GET /api/traces?service=&endpoint=&errors=true&minDurationMs=&from=&to=&limit=}:
 *       trace summaries, newest first ({@code from}/{@code to} in epoch milliseconds, {@code limit}
 *       at most 1000, default 100)
 *   <li>{@code GET /api/traces/{traceId}}: one trace with all its spans (32 hex digits; 404 when
 *       not stored)
 *   <li>{@code GET /api/services}: every service with spans in the store
 *   <li>{@code GET /api/status}: what the store holds and its limits
 * </ul>
 */
public final class QueryHandler implements HttpHandler {
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final String TRACES = "/api/traces";

  private final TraceStore store;

  public QueryHandler(TraceStore store) {
    this.store = store;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        error(exchange, 405, "use GET");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      try {
        if (path.equals(TRACES) || path.equals(TRACES + "/")) {
          send(
              exchange,
              200,
              TraceJson.summaries(store.query(query(exchange.getRequestURI().getRawQuery()))));
        } else if (path.startsWith(TRACES + "/")) {
          trace(exchange, path.substring(TRACES.length() + 1));
        } else if (path.equals("/api/services")) {
          List<String> services = store.services();
          send(
              exchange,
              200,
              JsonOutput.write(
                  json -> {
                    json.beginObject().name("services").beginArray();
                    for (String service : services) {
                      json.value(service);
                    }
                    json.endArray().endObject();
                  }));
        } else if (path.equals("/api/status")) {
          send(exchange, 200, status());
        } else {
          error(exchange, 404, "no such API: " + path);
        }
      } catch (IllegalArgumentException e) {
        error(exchange, 400, e.getMessage());
      }
    }
  }

  private void trace(HttpExchange exchange, String traceId) throws IOException {
    if (!TRACE_ID.matcher(traceId).matches()) {
      error(exchange, 400, "a trace id is 32 hex digits");
      return;
    }
    Optional<TraceSnapshot> trace = store.get(traceId.toLowerCase(Locale.ROOT));
    if (trace.isEmpty()) {
      error(
          exchange, 404, "trace " + traceId + " is not in the store (never received, or evicted)");
      return;
    }
    send(exchange, 200, TraceJson.trace(trace.get()));
  }

  private String status() {
    return JsonOutput.write(
        json ->
            json.beginObject()
                .name("traces")
                .value(store.traceCount())
                .name("spans")
                .value(store.spanCount())
                .name("bytes")
                .value(store.bytes())
                .name("maxBytes")
                .value(store.limits().maxBytes())
                .name("maxAgeSeconds")
                .value(store.limits().maxAge().toSeconds())
                .name("evictedTraces")
                .value(store.evictedTraces())
                .name("evictedSpans")
                .value(store.evictedSpans())
                .endObject());
  }

  static TraceQuery query(String rawQuery) {
    Map<String, String> params = parameters(rawQuery);
    return new TraceQuery(
        params.get("service"),
        params.get("endpoint"),
        Boolean.parseBoolean(params.getOrDefault("errors", "false")),
        Math.round(number(params, "minDurationMs") * 1_000_000),
        (long) number(params, "from") * 1_000_000L,
        (long) number(params, "to") * 1_000_000L,
        (int) number(params, "limit"));
  }

  private static double number(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      double number = Double.parseDouble(value.trim());
      if (number < 0 || !Double.isFinite(number) || number > 9.2e12) {
        throw new IllegalArgumentException(name + " must be a non-negative number, was " + value);
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was " + value);
    }
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      params.put(decode(name), decode(value));
    }
    return params;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    send(
        exchange,
        status,
        JsonOutput.write(json -> json.beginObject().name("error").value(message).endObject()));
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    HttpReplies.send(
        exchange, status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
  }
}
