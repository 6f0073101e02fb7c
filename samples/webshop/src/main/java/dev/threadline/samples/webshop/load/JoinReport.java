package dev.threadline.samples.webshop.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back, from the node, the traces of requests sent with {@code --marker PREFIX} and says how
 * many came back as one joined trace ({@link JoinedTrace}); prints one of them as a tree and the
 * line {@code joined: K/N requests in one trace (...)}. Waits (up to a deadline) while the A spans
 * that complete the joins are still arriving.
 *
 * <pre>java -Dloader.main=dev.threadline.samples.webshop.load.JoinReport -jar webshop.jar \
 *   http://127.0.0.1:14318 PREFIX N [gateway-service]</pre>
 */
public final class JoinReport {
  /** The five services every shopping request reaches. */
  public static final List<String> SERVICES =
      List.of("shop-web", "user-svc", "item-svc", "order-svc", "stock-svc");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What the node holds for each request.
   *
   * @param problems per marker, what keeps its trace from being joined (empty: joined)
   * @param wrongJoins spans of one request found in another request's trace
   * @param example the trace of one joined request, or null
   */
  public record Result(
      Map<String, List<String>> problems, List<String> wrongJoins, JsonNode example) {
    public long joined() {
      return problems.values().stream().filter(List::isEmpty).count();
    }

    public String line() {
      return "joined: "
          + joined()
          + "/"
          + problems.size()
          + " requests in one trace (gateway S spans, all A spans, an S span per hop)";
    }
  }

  private JoinReport() {}

  public static void main(String[] args) throws Exception {
    String node = args[0];
    String prefix = args[1];
    int requests = Integer.parseInt(args[2]);
    String gateway = args.length > 3 ? args[3] : "nginx";
    Result result =
        collect(
            HttpClient.newHttpClient(), node, gateway, prefix, requests, Duration.ofSeconds(30));
    if (result.example() != null) {
      TraceReport.printTree(result.example(), node);
    }
    int shown = 0;
    for (Map.Entry<String, List<String>> entry : result.problems().entrySet()) {
      if (!entry.getValue().isEmpty() && shown++ < 3) {
        System.out.println("  " + entry.getKey() + ": " + entry.getValue());
      }
    }
    System.out.println(result.line());
  }

  /**
   * Reads the node until every request is joined or {@code patience} has passed.
   *
   * @param gateway the gateway's service name in S spans ({@code nginx})
   */
  public static Result collect(
      HttpClient client,
      String node,
      String gateway,
      String prefix,
      int requests,
      Duration patience)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    Result result;
    do {
      result = read(client, node, gateway, prefix, requests);
      if (result.joined() == requests) {
        break;
      }
      Thread.sleep(500); // the node's store only changes as exports arrive: poll it
    } while (System.nanoTime() < deadline);
    return result;
  }

  private static Result read(
      HttpClient client, String node, String gateway, String prefix, int requests)
      throws IOException, InterruptedException {
    Map<String, List<String>> tracesOf = new LinkedHashMap<>();
    Map<String, JoinedTrace> traces = new LinkedHashMap<>();
    Map<String, JsonNode> raw = new LinkedHashMap<>();
    JsonNode list =
        get(
            client,
            node
                + "/api/traces?limit=1000&service="
                + URLEncoder.encode(gateway, StandardCharsets.UTF_8));
    for (JsonNode summary : list.path("traces")) {
      String traceId = summary.path("traceId").asText();
      JsonNode trace = get(client, node + "/api/traces/" + traceId);
      if (trace == null) {
        continue; // merged into another trace since it was listed: that one is read too
      }
      JoinedTrace joined = JoinedTrace.of(trace);
      for (String marker : joined.markers()) {
        if (marker.startsWith(prefix + "-")) {
          tracesOf.computeIfAbsent(marker, m -> new ArrayList<>()).add(traceId);
          traces.put(traceId, joined);
          raw.put(traceId, trace);
        }
      }
    }
    Map<String, List<String>> problems = new LinkedHashMap<>();
    List<String> wrong = new ArrayList<>();
    JsonNode example = null;
    for (int n = 0; n < requests; n++) {
      String marker = prefix + "-" + n;
      List<String> ids = tracesOf.getOrDefault(marker, List.of());
      if (ids.size() != 1) {
        problems.put(marker, List.of("in " + ids.size() + " traces"));
        continue;
      }
      JoinedTrace trace = traces.get(ids.get(0));
      List<String> found = trace.problems(marker, gateway, SERVICES);
      problems.put(marker, found);
      for (String w : trace.wrongJoins(marker)) {
        wrong.add(marker + ": " + w);
      }
      if (found.isEmpty() && example == null) {
        example = raw.get(ids.get(0));
      }
    }
    return new Result(problems, wrong, example);
  }

  private static JsonNode get(HttpClient client, String url)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return null;
    }
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
