package dev.threadline.samples.webshop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.samples.webshop.load.JoinReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole of Threadline on the WebShop: the five services with the agent exporting to the node,
 * the node tracing the kernel side of every process, nginx in front with keep-alive upstream. No
 * client sends any trace header. Every request must come back from the node as one trace from the
 * gateway's sockets down ({@link dev.threadline.samples.webshop.load.JoinedTrace}): the gateway's
 * s-p and c-p, the A spans of all five services, a c-p under every A CLIENT HTTP span and an s-p
 * above every A SERVER span, each parent checked by content; and no span of one request in
 * another's trace. Once with a plain nginx (no plugin, no request id back: the proxy rule joins the
 * gateway) and once with the Kong-shaped gateway that traces itself.
 */
class WebShopJoinedIT {
  private static final int CLIENTS = 8;
  private static final int REQUESTS = 500;

  private static WebShopProcesses shop;
  private static ThreadlineNode node;

  @BeforeAll
  static void start() throws Exception {
    shop = new WebShopProcesses();
    try {
      node = ThreadlineNode.start(shop.work());
    } catch (ThreadlineNode.KernelUnavailable e) {
      if ("1".equals(System.getenv("THREADLINE_REQUIRE_EBPF"))) {
        throw new AssertionError(
            "the node's kernel side cannot run, and THREADLINE_REQUIRE_EBPF=1 forbids skipping: "
                + e.getMessage());
      }
      Assumptions.abort("the node's kernel side cannot run here: " + e.getMessage());
    }
    shop.startServices(node.baseUrl());
  }

  @AfterAll
  static void stop() throws Exception {
    if (shop != null) {
      shop.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyRequestThroughAPlainNginxIsOneTraceFromTheGatewaysSocketsDown() throws Exception {
    shop.startGateway();
    try {
      assertJoined("plain");
    } finally {
      shop.stopGateway();
    }
  }

  @Test
  void everyRequestThroughTheKongShapedGatewayIsOneTraceWithKongsSpansInIt() throws Exception {
    shop.startPluginGateway(node.baseUrl() + "/api/v1/otel/trace");
    try {
      JoinReport.Result result = assertJoined("plugin");
      assertThat(result.example().path("services").toString()).contains("\"kong\"");
    } finally {
      shop.stopGateway();
    }
  }

  private JoinReport.Result assertJoined(String prefix) throws Exception {
    List<String> failures = send(prefix);
    assertThat(failures).as("requests that failed").isEmpty();
    JoinReport.Result result =
        JoinReport.collect(
            HttpClient.newHttpClient(),
            node.baseUrl(),
            "nginx",
            prefix,
            REQUESTS,
            Duration.ofSeconds(60));
    System.out.println(prefix + " gateway: " + result.line());
    List<String> someProblems =
        result.problems().entrySet().stream()
            .filter(e -> !e.getValue().isEmpty())
            .limit(5)
            .map(e -> e.getKey() + ": " + e.getValue())
            .toList();
    assertThat(result.wrongJoins()).as("spans joined into another request's trace").isEmpty();
    assertThat(result.joined())
        .as(
            "%s; for example %s; correlator: %s; node log: %s",
            result.line(), someProblems, correlatorMetrics(), tail(node.log()))
        .isGreaterThanOrEqualTo((long) Math.ceil(REQUESTS * 0.99));
    return result;
  }

  /** {@value #REQUESTS} shopping requests from {@value #CLIENTS} closed-loop clients. */
  private List<String> send(String prefix) throws Exception {
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    for (int c = 0; c < CLIENTS; c++) {
      clients.execute(
          () -> {
            HttpClient client = HttpClient.newHttpClient();
            for (int n; (n = next.getAndIncrement()) < REQUESTS; ) {
              String url = shop.gatewayUrl() + "/shop/full-test?count=1&marker=" + prefix + "-" + n;
              try {
                HttpResponse<String> response =
                    client.send(
                        HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || !response.body().contains("\"failed\":0")) {
                  failures.add(url + " → " + response.statusCode() + " " + response.body());
                }
              } catch (Exception e) {
                failures.add(url + " → " + e);
              }
            }
          });
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    return List.copyOf(failures);
  }

  /**
   * The node's correlator counters (joins by rule, stamps rejected, joins expired), for a failure.
   */
  private static String correlatorMetrics() {
    try {
      String text =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return text.lines()
          .filter(line -> line.startsWith("threadline_correlator"))
          .collect(Collectors.joining(", "));
    } catch (Exception e) {
      return "unreadable: " + e;
    }
  }

  private static String tail(String log) {
    return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
  }
}
