package dev.threadline.agent.it.stamp;

import static dev.threadline.agent.it.SpanTree.attribute;
import static dev.threadline.agent.it.SpanTree.hex;
import static dev.threadline.agent.it.SpanTree.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.threadline.agent.it.AgentApp;
import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The thread context reaches the kernel: a Spring Boot application with the agent, run without
 * privileges, behind the bridge's {@code trace} command (root). For every hand-off of the outgoing
 * call, the c-p S span of that call carries exactly the trace id and span id of the CLIENT span the
 * agent exported for it (decoded from real OTLP), and the s-p of each request carries its SERVER
 * span. Under concurrent load no stamp names another request's trace.
 */
class ThreadContextStampIT {
  private static final List<String> HANDOFFS =
      List.of("same", "pool", "future", "forkjoin", "async");
  private static final String APP_USER = "65534"; // nobody, nogroup
  private static final SecureRandom random = new SecureRandom();

  @BeforeAll
  static void requireKernel() {
    KernelRequirement.require();
  }

  @Test
  void everyHandoffStampsTheCallWithItsClientSpanWhenTheBridgeStartsFirst() throws Exception {
    int port = AgentApp.freePort();
    try (OtlpCollector collector = OtlpCollector.start();
        BridgeTrace bridge = BridgeTrace.start(port);
        AgentApp app =
            AgentApp.shopAs(APP_USER, port, System.getProperty("java.home"), collector.baseUrl())) {
      assertHandoffsStamped(app, collector, bridge, "first");
    }
  }

  @Test
  void onJdk25AVirtualThreadsCallIsStampedThroughItsCarrier() throws Exception {
    String jdk25 = KernelRequirement.jdk25();
    int port = AgentApp.freePort();
    try (OtlpCollector collector = OtlpCollector.start();
        BridgeTrace bridge = BridgeTrace.start(port);
        AgentApp app = AgentApp.shopAs(APP_USER, port, jdk25, collector.baseUrl())) {
      assertHandoffsStamped(app, collector, bridge, "jdk25", List.of("virtual", "same", "pool"));
    }
  }

  @Test
  void aBridgeStartedAfterTheApplicationStampsToo() throws Exception {
    int port = AgentApp.freePort();
    try (OtlpCollector collector = OtlpCollector.start();
        AgentApp app =
            AgentApp.shopAs(APP_USER, port, System.getProperty("java.home"), collector.baseUrl());
        BridgeTrace bridge = BridgeTrace.start(port)) {
      awaitRegistered(app, bridge);
      assertHandoffsStamped(app, collector, bridge, "after");
    }
  }

  @Test
  void underConcurrentLoadNoStampNamesAnotherRequestsTrace() throws Exception {
    int port = AgentApp.freePort();
    int clients = 8;
    int perClient = 250;
    try (OtlpCollector collector = OtlpCollector.start();
        BridgeTrace bridge = BridgeTrace.start(port);
        AgentApp app =
            AgentApp.shopAs(APP_USER, port, System.getProperty("java.home"), collector.baseUrl())) {
      ExecutorService load = Executors.newFixedThreadPool(clients);
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            load.submit(
                () -> {
                  for (int i = 0; i < perClient; i++) {
                    String marker = "load-" + client + "-" + i;
                    HttpResponse<String> response =
                        app.get(
                            "/stamp/pool?marker=" + marker, Map.of("traceparent", traceparent()));
                    assertThat(response.body()).isEqualTo(marker);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      load.shutdown();
      int requests = clients * perClient;
      List<JsonObject> calls =
          bridge.await(
              s -> "c-p".equals(kind(s)) && path(s).startsWith("/stamp/downstream?marker=load-"),
              requests,
              Duration.ofSeconds(60));
      long stamped = calls.stream().filter(s -> s.has("request_trace_id")).count();
      assertThat(stamped)
          .as("stamped c-p spans of %d calls", requests)
          .isGreaterThanOrEqualTo(requests * 99L / 100);
      for (JsonObject call : calls) {
        if (!call.has("request_trace_id")) {
          continue;
        }
        // The traceparent the agent wrote into this very request names its CLIENT span.
        String[] sent = call.get("traceparent").getAsString().split("-");
        assertThat(call.get("request_trace_id").getAsString())
            .as(call.toString())
            .isEqualTo(sent[1]);
        assertThat(call.get("request_span_id").getAsString())
            .as(call.toString())
            .isEqualTo(sent[2]);
      }
    }
  }

  private static void assertHandoffsStamped(
      AgentApp app, OtlpCollector collector, BridgeTrace bridge, String round) throws Exception {
    assertHandoffsStamped(app, collector, bridge, round, HANDOFFS);
  }

  private static void assertHandoffsStamped(
      AgentApp app,
      OtlpCollector collector,
      BridgeTrace bridge,
      String round,
      List<String> handoffs)
      throws Exception {
    for (String handoff : handoffs) {
      String marker = round + "-" + handoff;
      HttpResponse<String> response =
          app.get("/stamp/" + handoff + "?marker=" + marker, Map.of("traceparent", traceparent()));
      assertThat(response.body()).as(handoff).isEqualTo(marker);
    }
    List<Span> exported = awaitRoundSpans(collector, round, handoffs);
    for (String handoff : handoffs) {
      String marker = round + "-" + handoff;
      String downstreamPath = "/stamp/downstream?marker=" + marker;
      Span client =
          exported.stream()
              .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
              .filter(
                  s ->
                      attribute(s, "url.full") != null
                          && attribute(s, "url.full").endsWith(downstreamPath))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no CLIENT span for " + handoff));
      Span downstream = serverSpan(exported, "/stamp/downstream", "marker=" + marker);
      Span front = serverSpan(exported, "/stamp/" + handoff, "marker=" + marker);

      JsonObject call = only(bridge, "c-p", downstreamPath);
      assertThat(call.get("request_trace_id").getAsString())
          .as(handoff + " c-p trace")
          .isEqualTo(hex(client.getTraceId().toByteArray()));
      assertThat(call.get("request_span_id").getAsString())
          .as(handoff + " c-p span")
          .isEqualTo(id(client));
      // The response leaves while the SERVER span, or a span inside it (the controller's, when the
      // framework flushes the body itself), is current: the stamp names that span, and the SERVER
      // span is its local root.
      JsonObject served = only(bridge, "s-p", downstreamPath);
      assertThat(localRoot(exported, served.get("response_span_id").getAsString()))
          .as(handoff + " downstream s-p")
          .isEqualTo(id(downstream));
      JsonObject request = only(bridge, "s-p", "/stamp/" + handoff + "?marker=" + marker);
      assertThat(request.get("response_trace_id").getAsString())
          .as(handoff + " front s-p trace")
          .isEqualTo(hex(front.getTraceId().toByteArray()));
      assertThat(localRoot(exported, request.get("response_span_id").getAsString()))
          .as(handoff + " front s-p")
          .isEqualTo(id(front));
    }
  }

  /**
   * Waits until the agent exported, for every hand-off of this round, the three spans the checks
   * read: the CLIENT span of the downstream call and the SERVER spans of both requests. The SERVER
   * span of a request ends after its response is written, so it can reach the collector a batch
   * later than the CLIENT span inside it.
   */
  private static List<Span> awaitRoundSpans(
      OtlpCollector collector, String round, List<String> handoffs) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<Span> spans = collector.spans();
      if (handoffs.stream()
          .allMatch(handoff -> roundExported(spans, round + "-" + handoff, handoff))) {
        return spans;
      }
      assertThat(System.nanoTime())
          .as("spans of round " + round + " exported in time")
          .isLessThan(deadline);
      collector.awaitSpans(spans.size() + 1, Duration.ofSeconds(1));
    }
  }

  private static boolean roundExported(List<Span> spans, String marker, String handoff) {
    boolean client =
        spans.stream()
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
            .anyMatch(
                s ->
                    String.valueOf(attribute(s, "url.full"))
                        .endsWith("/stamp/downstream?marker=" + marker));
    return client
        && findServerSpan(spans, "/stamp/downstream", "marker=" + marker).isPresent()
        && findServerSpan(spans, "/stamp/" + handoff, "marker=" + marker).isPresent();
  }

  /**
   * The SERVER span above {@code spanId} in this process (itself when it is one): where the request
   * entered the application.
   */
  private static String localRoot(List<Span> spans, String spanId) {
    String current = spanId;
    for (int depth = 0; depth < 16; depth++) {
      String id = current;
      Span span =
          spans.stream()
              .filter(s -> id(s).equals(id))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the stamp names no exported span: " + id));
      if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
        return id;
      }
      current = hex(span.getParentSpanId().toByteArray());
    }
    throw new AssertionError("no SERVER span above " + spanId);
  }

  private static Span serverSpan(List<Span> spans, String path, String query) {
    return findServerSpan(spans, path, query)
        .orElseThrow(() -> new AssertionError("no SERVER span for " + path + "?" + query));
  }

  private static Optional<Span> findServerSpan(List<Span> spans, String path, String query) {
    return spans.stream()
        .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
        .filter(
            s -> path.equals(attribute(s, "url.path")) && query.equals(attribute(s, "url.query")))
        .findFirst();
  }

  /** The one S span of this side with this request target. */
  private static JsonObject only(BridgeTrace bridge, String kind, String target) throws Exception {
    List<JsonObject> found =
        bridge.await(
            s -> kind.equals(kind(s)) && target.equals(path(s)), 1, Duration.ofSeconds(30));
    assertThat(found).as(kind + "-p spans of " + target).hasSize(1);
    return found.get(0);
  }

  /** The application registered its thread-context region with the bridge (seen in its stamps). */
  private static void awaitRegistered(AgentApp app, BridgeTrace bridge) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (int i = 0; ; i++) {
      String marker = "probe-" + i;
      app.get("/stamp/same?marker=" + marker, Map.of("traceparent", traceparent()));
      JsonObject call = only(bridge, "c-p", "/stamp/downstream?marker=" + marker);
      if (call.has("request_trace_id")) {
        return;
      }
      assertThat(System.nanoTime())
          .as("the bridge found the application's region")
          .isLessThan(deadline);
    }
  }

  private static String kind(JsonObject span) {
    return span.get("kind").getAsString();
  }

  private static String path(JsonObject span) {
    return span.has("path") ? span.get("path").getAsString() : "";
  }

  private static String traceparent() {
    byte[] trace = new byte[16];
    byte[] span = new byte[8];
    random.nextBytes(trace);
    random.nextBytes(span);
    return "00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01";
  }
}
