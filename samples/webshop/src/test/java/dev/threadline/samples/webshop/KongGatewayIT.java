package dev.threadline.samples.webshop;

import static dev.threadline.samples.webshop.KongTrace.await;
import static dev.threadline.samples.webshop.KongTrace.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.threadline.samples.webshop.KongTrace.Exported;
import dev.threadline.samples.webshop.KongTrace.Traceparent;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kong-shaped gateway ({@code gateway/kong-nginx.conf.template} with {@code
 * gateway/kong/threadline_kong_otel.lua}) on a real nginx with Lua, in front of a real upstream
 * that records what it received, exporting to a real OTLP receiver. What the gateway sent, both the
 * protobuf spans and the headers upstream, must be what Kong 3.x with its opentelemetry plugin
 * sends.
 */
class KongGatewayIT {
  static final String TRACES_PATH = "/api/v1/otel/trace";
  private static final Path LUA_MODULE = Paths.get("/usr/lib/nginx/modules/ngx_http_lua_module.so");
  private static final Path NDK_MODULE = Paths.get("/usr/lib/nginx/modules/ndk_http_module.so");
  private static final String REQUEST_ID = "[0-9a-f]{32}";
  private static final AtomicInteger PATHS = new AtomicInteger();

  private static Path work;
  private static OtlpCollector collector;
  private static RecordingUpstream upstream;
  private static NginxGateway kong;

  @BeforeAll
  static void start() throws Exception {
    for (Path module : List.of(LUA_MODULE, NDK_MODULE)) {
      assertThat(module)
          .as("nginx's Lua module is needed: apt-get install libnginx-mod-http-lua")
          .exists();
    }
    work = Files.createTempDirectory("kong-gateway-it");
    collector = OtlpCollector.start();
    upstream = new RecordingUpstream();
    kong = startKong("kong", collector.baseUrl() + TRACES_PATH, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (kong != null) {
      kong.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void aNewTraceIsKongRouterAndBalancerWithTheBalancerSpanIdSentUpstream() throws Exception {
    long before = System.currentTimeMillis() * 1_000_000;
    Sent sent = send(kong, HttpClient.newHttpClient(), "/shop/slow/new?item=1", null);
    long after = System.currentTimeMillis() * 1_000_000;
    assertThat(sent.response().statusCode()).isEqualTo(200);
    assertThat(sent.upstream().flags()).isEqualTo("01");
    String requestId = sent.requestIdUpstream();
    assertThat(requestId).matches(REQUEST_ID);
    assertThat(sent.response().headers().firstValue("X-Kong-Request-Id")).hasValue(requestId);

    List<Exported> trace = await(collector, sent.upstream().traceId(), 3);
    assertThat(trace).hasSize(3);
    Exported root = named(trace, "kong");
    Exported router = named(trace, "kong.router");
    Exported balancer = named(trace, "kong.balancer");
    assertThat(root.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
    assertThat(root.span().getParentSpanId().isEmpty()).as("kong is the root").isTrue();
    assertThat(router.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
    assertThat(router.parentId()).isEqualTo(root.spanId());
    assertThat(balancer.span().getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(balancer.parentId()).isEqualTo(root.spanId());
    assertThat(balancer.spanId()).isEqualTo(sent.upstream().spanId());

    String url = kong.baseUrl() + sent.path();
    assertThat(root.attributes())
        .containsOnly(
            entry("http.method", "GET"),
            entry("http.url", url),
            entry("http.host", "127.0.0.1"),
            entry("http.scheme", "http"),
            entry("http.flavor", "1.1"),
            entry("net.peer.ip", "127.0.0.1"),
            entry("http.status_code", 200L),
            entry("kong.request.id", requestId));
    assertThat(balancer.attributes())
        .containsOnly(
            entry("net.peer.ip", "127.0.0.1"),
            entry("net.peer.port", (long) upstream.port()),
            entry("try_count", 1L),
            entry("http.status_code", 200L));
    for (Exported span : trace) {
      assertThat(span.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    }

    // Times in nanoseconds since the epoch, nested as the work was: the balancer span covers the
    // upstream's 100 ms, inside the kong span.
    assertThat(root.start()).isBetween(before - 1_000_000_000L, after);
    assertThat(root.end()).isBetween(before, after + 1_000_000_000L);
    assertThat(
            List.of(
                root.start(),
                router.start(),
                router.end(),
                balancer.start(),
                balancer.end(),
                root.end()))
        .isSorted();
    assertThat(balancer.end() - balancer.start())
        .isGreaterThanOrEqualTo(RecordingUpstream.SLOW.toNanos() * 9 / 10);

    OtlpCollector.Received export = root.in();
    assertThat(export.method()).isEqualTo("POST");
    assertThat(export.path()).isEqualTo(TRACES_PATH);
    assertThat(export.contentType()).isEqualTo("application/x-protobuf");
    assertThat(KongTrace.values(root.resource().getResource().getAttributesList()))
        .containsEntry("service.name", "kong");
    assertThat(root.scope().getScope().getName()).isEqualTo("kong-internal");
  }

  @Test
  void anIncomingTraceparentMakesKongItsChildInTheSameTrace() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    Sent sent =
        send(
            kong,
            HttpClient.newHttpClient(),
            "/shop/child",
            "00-" + traceId + "-" + parentId + "-01");
    assertThat(sent.upstream().traceId()).isEqualTo(traceId);
    assertThat(sent.upstream().spanId()).isNotEqualTo(parentId);
    assertThat(sent.upstream().flags()).isEqualTo("01");

    List<Exported> trace = await(collector, traceId, 3);
    assertThat(trace).hasSize(3);
    Exported root = named(trace, "kong");
    assertThat(root.parentId()).isEqualTo(parentId);
    assertThat(named(trace, "kong.router").parentId()).isEqualTo(root.spanId());
    Exported balancer = named(trace, "kong.balancer");
    assertThat(balancer.parentId()).isEqualTo(root.spanId());
    assertThat(balancer.spanId()).isEqualTo(sent.upstream().spanId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // upper case
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // another version
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // the forbidden version
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero span id
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01", // short span id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // short flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-00", // trailing field
        "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01", // not hex
      })
  void anInvalidIncomingTraceparentStartsANewTrace(String invalid) throws Exception {
    Sent sent = send(kong, HttpClient.newHttpClient(), "/shop/invalid", invalid);
    assertThat(sent.upstream().traceId()).isNotEqualToIgnoringCase(invalid.substring(3, 35));
    assertThat(sent.upstream().flags()).as("a new trace, sampled at rate 1.0").isEqualTo("01");

    List<Exported> trace = await(collector, sent.upstream().traceId(), 3);
    assertThat(trace).hasSize(3);
    assertThat(named(trace, "kong").span().getParentSpanId().isEmpty()).isTrue();
    assertThat(named(trace, "kong.balancer").spanId()).isEqualTo(sent.upstream().spanId());
  }

  @Test
  void aSampledOutRequestStillSendsTraceparentUpstreamButExportsNothing() throws Exception {
    String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "10f067aa0ba902b7";
    HttpClient client = HttpClient.newHttpClient(); // one connection: one worker, one queue
    Sent unsampled =
        send(kong, client, "/shop/unsampled", "00-" + traceId + "-" + parentId + "-00");
    assertThat(unsampled.response().statusCode()).isEqualTo(200);
    assertThat(unsampled.upstream().traceId()).isEqualTo(traceId);
    assertThat(unsampled.upstream().spanId()).isNotEqualTo(parentId);
    assertThat(unsampled.upstream().flags()).isEqualTo("00");
    assertThat(unsampled.requestIdUpstream()).matches(REQUEST_ID);

    assertNothingExported(kong, client, unsampled);
  }

  @Test
  void atSamplingRateZeroNewTracesAreSampledOutButASampledParentIsFollowed() throws Exception {
    try (NginxGateway rateZero =
        startKong(
            "rate-zero",
            collector.baseUrl() + TRACES_PATH,
            Map.of("KONG_TRACING_SAMPLING_RATE", "0"))) {
      HttpClient client = HttpClient.newHttpClient();
      Sent unsampled = send(rateZero, client, "/shop/rate-zero", null);
      assertThat(unsampled.upstream().flags()).isEqualTo("00");
      assertNothingExported(rateZero, client, unsampled);
    }
  }

  @Test
  void anUpstream5xxMarksTheKongAndBalancerSpansError() throws Exception {
    Sent sent = send(kong, HttpClient.newHttpClient(), "/shop/fail/x", null);
    assertThat(sent.response().statusCode()).isEqualTo(503);
    List<Exported> trace = await(collector, sent.upstream().traceId(), 3);
    for (String name : List.of("kong", "kong.balancer")) {
      Exported span = named(trace, name);
      assertThat(span.span().getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
      assertThat(span.attributes()).containsEntry("http.status_code", 503L);
    }
    assertThat(named(trace, "kong.router").span().getStatus().getCode())
        .isEqualTo(StatusCode.STATUS_CODE_UNSET);
  }

  @Test
  void fiftyConcurrentRequestsAreFiftyTracesEachBalancerSpanMatchingItsUpstreamRequest()
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String path = "/shop/slow/concurrent-" + PATHS.incrementAndGet();
      paths.add(path);
      responses.add(
          client.sendAsync(request(kong, path, null), HttpResponse.BodyHandlers.ofString()));
    }
    Set<String> traces = new HashSet<>();
    Set<String> requestIds = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> response = responses.get(i).join();
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, String> headers = upstream.headers(paths.get(i)).orElseThrow();
      Traceparent traceparent = Traceparent.parse(headers.get("traceparent"));
      assertThat(response.headers().firstValue("X-Kong-Request-Id"))
          .hasValue(headers.get("x-kong-request-id"));
      traces.add(traceparent.traceId());
      requestIds.add(headers.get("x-kong-request-id"));

      List<Exported> trace = await(collector, traceparent.traceId(), 3);
      assertThat(trace).as(KongTrace.names(trace).toString()).hasSize(3);
      Exported root = named(trace, "kong");
      assertThat(root.attributes()).containsEntry("http.url", kong.baseUrl() + paths.get(i));
      Exported balancer = named(trace, "kong.balancer");
      assertThat(balancer.spanId()).isEqualTo(traceparent.spanId());
      assertThat(balancer.parentId()).isEqualTo(root.spanId());
    }
    assertThat(traces).hasSize(50);
    assertThat(requestIds).hasSize(50);
  }

  @Test
  void aFailingOrStuckCollectorNeverFailsOrDelaysTheProxiedRequest() throws Exception {
    try (OtlpCollector stuck = OtlpCollector.start().hang();
        NginxGateway toStuck = startKong("stuck", stuck.baseUrl() + TRACES_PATH, Map.of());
        NginxGateway toNobody =
            startKong(
                "nobody", "http://127.0.0.1:" + NginxGateway.freePort() + TRACES_PATH, Map.of())) {
      for (NginxGateway gateway : List.of(toStuck, toNobody)) {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 10; i++) {
          long start = System.nanoTime();
          Sent sent = send(gateway, client, "/shop/no-collector", null);
          assertThat(sent.response().statusCode()).isEqualTo(200);
          assertThat(sent.upstream().flags()).isEqualTo("01");
          assertThat(Duration.ofNanos(System.nanoTime() - start))
              .as("well under the export timeout of 2 s")
              .isLessThan(Duration.ofSeconds(2));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!gateway.read("error.log").contains("failed exports so far")
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(gateway.read("error.log")).contains("threadline kong otel: export to");
      }
    }
  }

  /**
   * Asserts that the unsampled request's trace was never exported: a sampled request on the same
   * connection (so the same nginx worker and span queue, checked in the access log) is exported,
   * and the queue is first in, first out, so anything queued before it would have come with it.
   */
  private static void assertNothingExported(NginxGateway gateway, HttpClient client, Sent unsampled)
      throws Exception {
    String barrierTrace = randomHex(16);
    Sent barrier =
        send(gateway, client, "/shop/barrier", "00-" + barrierTrace + "-" + randomHex(8) + "-01");
    assertThat(await(collector, barrierTrace, 3)).hasSize(3);
    assertThat(worker(gateway, unsampled.path())).isEqualTo(worker(gateway, barrier.path()));
    assertThat(KongTrace.spans(collector, unsampled.upstream().traceId())).isEmpty();
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    value[0] |= 1; // never all zero
    return KongTrace.hex(value);
  }

  private static String worker(NginxGateway gateway, String path) {
    String line =
        gateway
            .read("access.log")
            .lines()
            .filter(l -> l.contains("\"GET " + path + " HTTP/1.1\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no access log line for " + path));
    return line.replaceAll(".*\"worker\":(\\d+),.*", "$1");
  }

  private static NginxGateway startKong(String name, String tracesEndpoint, Map<String, String> env)
      throws Exception {
    return NginxGateway.start(
        work.resolve(name),
        "kong-nginx.conf.template",
        Map.of(
            "@SHOP_WEB@", upstream.address(),
            "@TRACES_ENDPOINT@", tracesEndpoint,
            "@LUA_DIR@", Paths.get("gateway", "kong").toAbsolutePath().toString()),
        env);
  }

  /** One request through a gateway: the client's response and what the upstream received. */
  private record Sent(String path, HttpResponse<String> response, Map<String, String> headers) {
    Traceparent upstream() {
      return Traceparent.parse(headers.get("traceparent"));
    }

    String requestIdUpstream() {
      return headers.get("x-kong-request-id");
    }
  }

  /** Sends {@code path} (made unique) with an optional incoming traceparent. */
  private static Sent send(NginxGateway gateway, HttpClient client, String path, String traceparent)
      throws Exception {
    String unique = path + (path.contains("?") ? "&" : "?") + "n=" + PATHS.incrementAndGet();
    HttpResponse<String> response =
        client.send(request(gateway, unique, traceparent), HttpResponse.BodyHandlers.ofString());
    Map<String, String> headers =
        upstream
            .headers(unique)
            .orElseThrow(() -> new AssertionError("the upstream never saw " + unique));
    return new Sent(unique, response, headers);
  }

  private static HttpRequest request(NginxGateway gateway, String path, String traceparent) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .timeout(Duration.ofSeconds(30));
    if (traceparent != null) {
      request.header("traceparent", traceparent);
    }
    return request.build();
  }
}
