package dev.threadline.samples.webshop.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Prints the most recent trace of a service, as the Threadline node stores it, as an indented tree:
 * the demo's proof that one request through the gateway is one trace across the five services.
 *
 * <pre>java -Dloader.main=dev.threadline.samples.webshop.load.TraceReport -jar webshop.jar \
 *   http://127.0.0.1:14318 shop-web</pre>
 */
public final class TraceReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceReport() {}

  public static void main(String[] args) throws Exception {
    String node = args.length > 0 ? args[0] : "http://127.0.0.1:14318";
    String service = args.length > 1 ? args[1] : "shop-web";
    HttpClient client = HttpClient.newHttpClient();
    JsonNode traces =
        get(
            client,
            node + "/api/traces?service=" + service + "&endpoint=GET%20/shop/full-test&limit=1");
    if (traces.path("traces").isEmpty()) {
      System.out.println("no trace of " + service + " in the node yet");
      System.exit(1);
    }
    String traceId = traces.path("traces").get(0).path("traceId").asText();
    printTree(get(client, node + "/api/traces/" + traceId), node);
  }

  /** Prints one trace of the node's query API as an indented tree. */
  static void printTree(JsonNode trace, String node) {
    String traceId = trace.path("traceId").asText();
    List<JsonNode> spans = new ArrayList<>();
    trace.path("spans").forEach(spans::add);
    spans.sort(Comparator.comparingDouble(span -> span.path("offsetMs").asDouble()));
    Set<String> ids = new HashSet<>();
    Set<String> services = new HashSet<>();
    spans.forEach(
        span -> {
          ids.add(span.path("spanId").asText());
          services.add(span.path("service").asText());
        });
    System.out.printf(
        Locale.ROOT,
        "trace %s: %d spans across %d services %s%n",
        traceId,
        spans.size(),
        services.size(),
        services.stream().sorted().toList());
    for (JsonNode span : spans) {
      if (!ids.contains(span.path("parentSpanId").asText())) {
        print(span, spans, 1);
      }
    }
    System.out.println("see it as a flame graph: " + node + "/#/trace/" + traceId);
  }

  private static void print(JsonNode span, List<JsonNode> spans, int depth) {
    System.out.printf(
        Locale.ROOT,
        "%s%-12s %-8s %-40s %8.2f ms%n",
        "  ".repeat(depth),
        span.path("service").asText(),
        "S".equals(span.path("origin").asText()) ? side(span) : span.path("kind").asText(),
        span.path("name").asText(),
        span.path("durationMs").asDouble());
    for (JsonNode child : spans) {
      if (child.path("parentSpanId").asText().equals(span.path("spanId").asText())) {
        print(child, spans, depth + 1);
      }
    }
  }

  /** "c-p" or "s-p" for an S span. */
  private static String side(JsonNode span) {
    for (JsonNode attribute : span.path("attributes")) {
      if ("threadline.s.side".equals(attribute.path("key").asText())) {
        return attribute.path("value").asText();
      }
    }
    return "S";
  }

  private static JsonNode get(HttpClient client, String url) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
