package dev.threadline.agent.it.w3c;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test suite's protocol, in Java: the harness sends the service a request with the headers of a
 * case and a JSON list of callback URLs; the service calls each back with what it propagates; the
 * harness reads the {@code traceparent} and {@code tracestate} of each callback.
 */
final class TraceContextHarness implements AutoCloseable {
  private static final Pattern TRACEPARENT =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
  private static final Pattern DELIMITER = Pattern.compile("[ \t]*,[ \t]*");
  private static final Pattern MEMBER =
      Pattern.compile(
          "^([0-9a-z][_0-9a-z\\-*/@]{0,255})=([\\x20-\\x2b\\x2d-\\x3c\\x3e-\\x7e]{0,255}"
              + "[\\x21-\\x2b\\x2d-\\x3c\\x3e-\\x7e])$");

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final URI service;
  private final Map<String, CompletableFuture<List<String[]>>> callbacks =
      new ConcurrentHashMap<>();

  TraceContextHarness(URI service) throws IOException {
    this.service = service;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::callback);
    server.start();
  }

  /** The trace context of one callback. */
  record Received(Traceparent traceparent, Map<String, String> tracestate, String tracestateText) {}

  /** A parsed outgoing {@code traceparent}. */
  record Traceparent(String version, String traceId, String parentId, int flags) {}

  /** Sends the service {@code headers} and asks for one callback; what the callback carried. */
  Received send(String... headers) throws Exception {
    return send(1, headers).get(0);
  }

  /**
   * Sends the service {@code headers} (name, value, name, value, ...: a name may repeat) and asks
   * for {@code count} callbacks.
   */
  List<Received> send(int count, String... headers) throws Exception {
    String scope = UUID.randomUUID().toString().replace("-", "");
    List<Map<String, Object>> actions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = scope + "." + i;
      callbacks.put(id, new CompletableFuture<>());
      actions.add(Map.of("url", "http://127.0.0.1:" + port() + "/" + id, "arguments", List.of()));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(service)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(new Gson().toJson(actions)));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<Received> received = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<String[]> fields = callbacks.remove(scope + "." + i).get(10, TimeUnit.SECONDS);
      received.add(new Received(traceparent(fields), tracestate(fields), tracestateText(fields)));
    }
    return received;
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private void callback(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    List<String[]> fields = new ArrayList<>();
    exchange
        .getRequestHeaders()
        .forEach((name, values) -> values.forEach(v -> fields.add(new String[] {name, v})));
    // Recorded before the answer: the service's own response (and so the test) waits for this one.
    CompletableFuture<List<String[]>> waiting =
        callbacks.get(exchange.getRequestURI().getPath().substring(1));
    if (waiting != null) {
      waiting.complete(fields);
    }
    byte[] body = "null".getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static List<String> values(List<String[]> fields, String name) {
    return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).toList();
  }

  /** Exactly one {@code traceparent}, of the version-00 format. */
  private static Traceparent traceparent(List<String[]> fields) {
    List<String> values = values(fields, "traceparent");
    assertThat(values).as("one traceparent header").hasSize(1);
    Matcher matcher = TRACEPARENT.matcher(values.get(0));
    assertThat(matcher.matches()).as("traceparent format: %s", values.get(0)).isTrue();
    return new Traceparent(
        matcher.group(1),
        matcher.group(2),
        matcher.group(3),
        Integer.parseInt(matcher.group(4), 16));
  }

  /** Every {@code tracestate} header as one list; each member must be well-formed. */
  private static Map<String, String> tracestate(List<String[]> fields) {
    Map<String, String> members = new LinkedHashMap<>();
    for (String value : values(fields, "tracestate")) {
      for (String member : DELIMITER.split(value, -1)) {
        if (member.isEmpty()) {
          continue;
        }
        Matcher matcher = MEMBER.matcher(member);
        assertThat(matcher.matches()).as("tracestate member %s", member).isTrue();
        members.putIfAbsent(matcher.group(1), matcher.group(2));
      }
    }
    return members;
  }

  private static String tracestateText(List<String[]> fields) {
    StringBuilder text = new StringBuilder();
    tracestate(fields)
        .forEach(
            (key, value) ->
                text.append(text.length() == 0 ? "" : ",").append(key).append('=').append(value));
    return text.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
