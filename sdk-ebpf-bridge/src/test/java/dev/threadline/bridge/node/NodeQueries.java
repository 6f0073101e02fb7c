package dev.threadline.bridge.node;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a node holds, read the way a user reads it: through its query API ({@code /api/traces},
 * {@code /api/traces/{id}}) and its {@code /metrics}, over HTTP.
 */
final class NodeQueries {
  private static final Duration POLL = Duration.ofMillis(25);

  private NodeQueries() {}

  /** One span as {@code /api/traces/{id}} shows it. */
  record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      String service,
      String origin,
      Map<String, String> attributes) {

    String attr(String key) {
      return attributes.get(key);
    }

    /** {@code c-p} or {@code s-p} for an S span, null for another. */
    String side() {
      return attr("threadline.s.side");
    }
  }

  /** One trace as {@code /api/traces/{id}} shows it. */
  record Trace(String traceId, List<Span> spans) {
    List<Span> where(Predicate<Span> which) {
      return spans.stream().filter(which).toList();
    }

    Optional<Span> span(String spanId) {
      return spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst();
    }
  }

  /** The trace with this id (or merged into another, which then answers), or empty on 404. */
  static Optional<Trace> trace(String baseUrl, String traceId) {
    HttpResponse<byte[]> response = NodeHttp.get(baseUrl + "/api/traces/" + traceId);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET trace " + traceId + " -> " + response.statusCode() + NodeHttp.text(response));
    }
    return Optional.of(parse(JsonParser.parseString(NodeHttp.text(response)).getAsJsonObject()));
  }

  /** Every trace with a span of {@code service}, as listed by {@code /api/traces?service=}. */
  static List<Trace> traces(String baseUrl, String service) {
    String list =
        NodeHttp.getText(
            baseUrl
                + "/api/traces?limit=1000&service="
                + URLEncoder.encode(service, StandardCharsets.UTF_8));
    List<Trace> traces = new ArrayList<>();
    for (JsonElement summary :
        JsonParser.parseString(list).getAsJsonObject().getAsJsonArray("traces")) {
      trace(baseUrl, summary.getAsJsonObject().get("traceId").getAsString()).ifPresent(traces::add);
    }
    return traces;
  }

  private static Trace parse(JsonObject json) {
    List<Span> spans = new ArrayList<>();
    for (JsonElement element : json.getAsJsonArray("spans")) {
      JsonObject span = element.getAsJsonObject();
      Map<String, String> attributes = new LinkedHashMap<>();
      for (JsonElement attribute : span.getAsJsonArray("attributes")) {
        JsonObject a = attribute.getAsJsonObject();
        attributes.put(a.get("key").getAsString(), a.get("value").getAsString());
      }
      spans.add(
          new Span(
              span.get("traceId").getAsString(),
              span.get("spanId").getAsString(),
              span.get("parentSpanId").getAsString(),
              span.get("name").getAsString(),
              span.get("kind").getAsString(),
              span.get("service").getAsString(),
              span.get("origin").getAsString(),
              attributes));
    }
    return new Trace(json.get("traceId").getAsString(), spans);
  }

  /**
   * Every sample on {@code /metrics} by its name and labels as written there, e.g. {@code
   * threadline_correlator_joins_total{rule="tcp_seq"}}.
   */
  static Map<String, Double> metrics(String baseUrl) {
    Map<String, Double> samples = new HashMap<>();
    for (String line : NodeHttp.getText(baseUrl + "/metrics").split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return samples;
  }

  /** One sample of {@link #metrics}; fails when the node does not show it. */
  static double metric(String baseUrl, String sample) {
    Double value = metrics(baseUrl).get(sample);
    if (value == null) {
      throw new AssertionError("no sample " + sample + " on /metrics");
    }
    return value;
  }

  /**
   * Reads {@code read} until {@code done} holds or {@code timeout} passes, and returns the last
   * reading either way: the caller's assertions then say what is wrong with it.
   */
  static <T> T await(Duration timeout, Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = read.get();
      if (done.test(value) || System.nanoTime() > deadline) {
        return value;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
    }
  }
}
