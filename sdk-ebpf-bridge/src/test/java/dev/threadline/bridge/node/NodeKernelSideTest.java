package dev.threadline.bridge.node;

import static dev.threadline.bridge.node.NodeQueries.await;
import static dev.threadline.bridge.node.NodeQueries.metric;
import static dev.threadline.bridge.node.NodeQueries.trace;
import static dev.threadline.bridge.node.NodeQueries.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import dev.threadline.bridge.node.NodeQueries.Span;
import dev.threadline.bridge.node.NodeQueries.Trace;
import dev.threadline.bridge.node.forward.ForwardConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.Nginx;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node's kernel side on a real kernel, read back through the node's own query API and {@code
 * /metrics}: python3 clients and an HTTP/1.1 python3 backend, directly or through a real nginx,
 * traced by a node running in this JVM (which it does not trace), joined by each rule alone, and
 * forwarded, once settled, to a second node. Everything a test looks for is named by this run's
 * marker (in paths and service names), so other traffic on the machine, which the node traces too,
 * cannot be mistaken for it.
 */
class NodeKernelSideTest {
  private static final Duration JOIN_WINDOW = Duration.ofSeconds(2);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final String RUN = hex(4);
  private static final String BACKEND = "nodeit-backend-" + RUN;
  private static final Gson GSON = new Gson();

  /** An nginx location that sends a request id upstream and returns it to the client. */
  private static final String REQUEST_ID_LOCATION =
      "location /rid/ { proxy_pass http://backend4; proxy_http_version 1.1;"
          + " proxy_set_header Connection \"\"; proxy_set_header X-Request-Id $request_id;"
          + " add_header X-Request-Id $request_id always; }";

  private static Path python;
  private static NodeServer collector;
  private static NodeServer node;
  private static PythonProcess backend;
  private static int backendPort;
  private static Nginx nginx;

  @BeforeAll
  static void start() throws Exception {
    EbpfRequirement.requireEbpf();
    Path nginxBinary = EbpfRequirement.requireExecutable("nginx", "nginx");
    python = EbpfRequirement.requireExecutable("python3", "python3-minimal");
    collector = NodeServer.start(NodeConfig.defaults().withPort(0));
    ForwardConfig forward =
        new ForwardConfig(
            URI.create(collector.baseUrl() + "/v1/traces"),
            Map.of(),
            ForwardConfig.DEFAULT_MAX_QUEUE_BYTES,
            ForwardConfig.DEFAULT_TIMEOUT);
    node =
        NodeServer.start(
            NodeConfig.defaults()
                .withPort(0)
                .withKernel(KernelMode.REQUIRED)
                .withJoinWindow(JOIN_WINDOW)
                .withForward(forward));
    backend = PythonProcess.start(python, "backend.py", "", BACKEND);
    backendPort = backend.next(WAIT).get("port").getAsInt();
    nginx = Nginx.start(nginxBinary, backendPort, List.of(REQUEST_ID_LOCATION));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (backend != null) {
      backend.close();
    }
    if (node != null) {
      node.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  @Test
  void wireIdentityAloneJoinsEachRequestOfAKeepAliveConnectionToItsServerSpan() throws Exception {
    String service = "nodeit-keepalive-" + RUN;
    String prefix = "/ka/" + RUN + "/";
    List<String> targets = List.of(prefix + "1?token=s3cret&n=1", prefix + "2", prefix + "3");
    try (PythonProcess client =
        client(service, backendPort, List.of(targets.stream().map(t -> get(t)).toList()))) {
      assertThat(client.responses(WAIT))
          .extracting(r -> r.get("status").getAsInt() + " " + r.get("body").getAsString())
          .containsExactly(
              "200 ok " + targets.get(0) + "\n",
              "200 ok " + prefix + "2\n",
              "200 ok " + prefix + "3\n");

      List<Trace> got =
          await(
              WAIT,
              () -> traces(node.baseUrl(), service),
              t -> t.size() == 3 && t.stream().allMatch(NodeKernelSideTest::isPair));
      assertThat(got).as("one trace per request").hasSize(3);
      List<String> paths = new ArrayList<>();
      List<String> clientPorts = new ArrayList<>();
      List<String> seqs = new ArrayList<>();
      for (Trace trace : got) {
        assertAllS(trace);
        assertThat(trace.spans()).as(describe(trace)).hasSize(2);
        Span cp = one(trace, s -> service.equals(s.service()) && "c-p".equals(s.side()));
        Span sp = one(trace, s -> BACKEND.equals(s.service()) && "s-p".equals(s.side()));
        assertThat(cp.parentSpanId()).isEmpty();
        assertThat(cp.attr("process.pid")).isEqualTo(Integer.toString(client.pid()));
        assertThat(cp.attr("network.peer.port")).isEqualTo(Integer.toString(backendPort));
        assertThat(sp.parentSpanId()).as(describe(trace)).isEqualTo(cp.spanId());
        assertThat(sp.attr("threadline.join.rule")).isEqualTo("tcp_seq");
        assertThat(sp.attr("process.pid")).isEqualTo(Integer.toString(backend.pid()));
        assertThat(sp.attr("threadline.tcp.request_seq"))
            .isEqualTo(cp.attr("threadline.tcp.request_seq"));
        assertThat(sp.attr("network.peer.port")).isEqualTo(cp.attr("network.local.port"));
        assertThat(sp.attr("url.path")).as("no cross-pairing").isEqualTo(cp.attr("url.path"));
        assertThat(sp.attr("http.response.status_code")).isEqualTo("200");
        paths.add(cp.attr("url.path"));
        clientPorts.add(cp.attr("network.local.port"));
        seqs.add(cp.attr("threadline.tcp.request_seq"));
        if (cp.attr("url.path").equals(prefix + "1")) {
          assertThat(cp.attr("url.query")).isEqualTo("token=REDACTED&n=1");
          assertThat(sp.attr("url.query")).isEqualTo("token=REDACTED&n=1");
        }
      }
      assertThat(paths).containsExactlyInAnyOrder(prefix + "1", prefix + "2", prefix + "3");
      assertThat(clientPorts).as("one keep-alive connection").containsOnly(clientPorts.get(0));
      assertThat(seqs).doesNotHaveDuplicates();
    }
  }

  @Test
  void proxyIdentityAloneJoinsPlainNginxHopsOfConcurrentClients() throws Exception {
    String service = "nodeit-proxy-" + RUN;
    List<List<Map<String, Object>>> connections = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      List<Map<String, Object>> requests = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String path = "/px/" + RUN + "/" + c + "/" + i;
        paths.add(path);
        requests.add(get(path));
      }
      connections.add(requests);
    }
    try (PythonProcess client = client(service, nginx.port4(), connections)) {
      List<JsonObject> responses = client.responses(WAIT);
      assertThat(responses).hasSize(12).allSatisfy(r -> assertOk(r));
      assertThat(responses)
          .allSatisfy(r -> assertThat(r.getAsJsonObject("headers").has("x-request-id")).isFalse());

      List<Trace> got = awaitChains(service, paths.size());
      assertThat(got).as("one trace per request").hasSize(paths.size());
      List<String> joined = new ArrayList<>();
      for (Trace trace : got) {
        Chain chain = assertChain(trace, service, client, "proxy");
        assertThat(chain.upstream.attr("threadline.join.inferred"))
            .as("the only open request with that path")
            .isNull();
        assertThat(trace.spans())
            .as("no request id anywhere")
            .allSatisfy(
                s ->
                    assertThat(s.attributes())
                        .doesNotContainKeys(
                            "threadline.request.request_id", "threadline.response.request_id"));
        joined.add(chain.path());
      }
      assertThat(joined).containsExactlyInAnyOrderElementsOf(paths);
    }
  }

  @Test
  void requestIdAloneJoinsTheNginxUpstreamHop() throws Exception {
    String service = "nodeit-rid-" + RUN;
    List<String> paths = IntStream.range(0, 4).mapToObj(i -> "/rid/" + RUN + "/" + i).toList();
    try (PythonProcess client =
        client(service, nginx.port4(), paths.stream().map(p -> List.of(get(p))).toList())) {
      Map<String, String> ids = new HashMap<>();
      for (JsonObject response : client.responses(WAIT)) {
        assertOk(response);
        String id = response.getAsJsonObject("headers").get("x-request-id").getAsString();
        assertThat(id).matches("[0-9a-f]{32}");
        ids.put(response.get("path").getAsString(), id);
      }
      assertThat(ids).hasSize(4);

      List<Trace> got = awaitChains(service, paths.size());
      assertThat(got).as("one trace per request").hasSize(paths.size());
      for (Trace trace : got) {
        Chain chain = assertChain(trace, service, client, "request_id");
        String id = ids.get(chain.path());
        assertThat(chain.ingress.attr("threadline.response.request_id")).isEqualTo(id);
        assertThat(chain.upstream.attr("threadline.request.request_id")).isEqualTo(id);
        assertThat(chain.backend.attr("threadline.request.request_id")).isEqualTo(id);
        assertThat(chain.client.attr("threadline.request.request_id")).isNull();
      }
    }
  }

  @Test
  void propagatedIdsPutTheClientSpanUnderTheSenderAndTheServerSpanUnderIt() throws Exception {
    String service = "nodeit-propagated-" + RUN;
    String w3cTrace = hex(16);
    String w3cParent = hex(8);
    String b3Trace = hex(16);
    String b3Parent = hex(8);
    String traceparent = "00-" + w3cTrace + "-" + w3cParent + "-01";
    String b3 = b3Trace + "-" + b3Parent + "-1";
    List<List<Map<String, Object>>> connections =
        List.of(
            List.of(get("/tp/" + RUN + "/w3c", Map.of("traceparent", traceparent))),
            List.of(get("/tp/" + RUN + "/b3", Map.of("b3", b3))));
    try (PythonProcess client = client(service, backendPort, connections)) {
      assertThat(client.responses(WAIT)).hasSize(2).allSatisfy(r -> assertOk(r));
      assertPropagated(
          w3cTrace,
          w3cParent,
          "traceparent",
          "threadline.request.traceparent",
          traceparent,
          service);
      assertPropagated(b3Trace, b3Parent, "b3", "threadline.request.b3", b3, service);
    }
  }

  private static void assertPropagated(
      String traceId, String parent, String rule, String attribute, String header, String service) {
    Optional<Trace> read =
        await(WAIT, () -> trace(node.baseUrl(), traceId), t -> t.isPresent() && isPair(t.get()));
    assertThat(read).as("trace " + traceId).isPresent();
    Trace trace = read.get();
    assertThat(trace.traceId()).isEqualTo(traceId);
    assertAllS(trace);
    assertThat(trace.spans()).as(describe(trace)).hasSize(2);
    Span cp = one(trace, s -> service.equals(s.service()) && "c-p".equals(s.side()));
    Span sp = one(trace, s -> BACKEND.equals(s.service()) && "s-p".equals(s.side()));
    assertThat(cp.parentSpanId()).as("the span that sent it").isEqualTo(parent);
    assertThat(cp.attr("threadline.join.rule")).isEqualTo(rule);
    assertThat(cp.attr(attribute)).isEqualTo(header);
    assertThat(sp.parentSpanId()).isEqualTo(cp.spanId());
    assertThat(sp.attr("threadline.join.rule")).isEqualTo("tcp_seq");
    assertThat(sp.attr(attribute)).isEqualTo(header);
  }

  @Test
  void whileTracingTheNodeStillTakesOtlpAndAnswersQueries() throws Exception {
    String service = "nodeit-load-" + RUN;
    String exporter = "nodeit-exporter-" + RUN;
    String base = node.baseUrl();
    Map<String, Double> before = NodeQueries.metrics(base);
    // The kernel side's losses and payload cuts are counted per reason, from the start.
    assertThat(before)
        .containsKeys(
            "threadline_node_kernel_events_lost_total{reason=\"ring_full\"}",
            "threadline_node_kernel_payload_reduced_total{level=\"head\"}",
            "threadline_node_kernel_payload_reduced_total{level=\"none\"}");
    String ownTraffic = "threadline_correlator_s_spans_own_traffic_total";
    int connections = 4;
    int most = 300;
    List<List<Map<String, Object>>> loop =
        IntStream.range(0, connections)
            .mapToObj(c -> List.of(get("/load/" + RUN + "/" + c)))
            .toList();
    try (PythonProcess load = client(service, nginx.port4(), loop, most)) {
      assertOk(load.next(WAIT)); // the traffic is flowing

      // An OTLP/protobuf export from this JVM, read back while the kernel side keeps tracing.
      String protoTrace = hex(16);
      assertThat(
              NodeHttp.post(base + "/v1/traces", "application/x-protobuf", null, otlp(protoTrace))
                  .statusCode())
          .isEqualTo(200);
      // An OTLP/JSON export and a query from a traced process: the node's own traffic.
      String jsonTrace = hex(16);
      List<List<Map<String, Object>>> export =
          List.of(
              List.of(
                  post("/v1/traces", otlpJson(jsonTrace, "nodeit-json-" + RUN)),
                  get("/api/traces/" + jsonTrace)));
      try (PythonProcess app = client(exporter, node.port(), export)) {
        List<JsonObject> answers = app.responses(WAIT);
        assertThat(answers).extracting(r -> r.get("status").getAsInt()).containsExactly(200, 200);
        assertThat(answers.get(1).get("body").getAsString()).contains("json-from-python");

        Optional<Trace> proto = await(WAIT, () -> trace(base, protoTrace), Optional::isPresent);
        assertThat(proto).isPresent();
        assertThat(proto.get().spans())
            .singleElement()
            .satisfies(
                s -> {
                  assertThat(s.name()).isEqualTo("protobuf-during-tracing");
                  assertThat(s.origin()).isEqualTo("A");
                });
        assertThat(trace(base, jsonTrace))
            .hasValueSatisfying(
                t ->
                    assertThat(t.spans())
                        .singleElement()
                        .satisfies(s -> assertThat(s.service()).isEqualTo("nodeit-json-" + RUN)));
        double dropped =
            await(WAIT, () -> metric(base, ownTraffic), v -> v >= before.get(ownTraffic) + 2);
        assertThat(dropped)
            .as("the exporter's two requests, dropped")
            .isEqualTo(before.get(ownTraffic) + 2);
        assertThat(traces(base, exporter)).as("no S span of the node's own traffic").isEmpty();
        assertThat(await(WAIT, () -> metric(base, "threadline_correlator_waiting"), v -> v >= 8))
            .as("the load's S spans wait out their join window")
            .isGreaterThanOrEqualTo(8);
      }
      load.tell("stop");
      List<JsonObject> responses = load.responses(WAIT);
      assertThat(responses.size())
          .as("stopped by the test: the traffic ran all along")
          .isLessThan(connections * most);
      assertThat(responses).allSatisfy(r -> assertOk(r));

      int n = responses.size();
      List<Trace> got = awaitChains(service, n);
      assertThat(got).as("one trace per request").hasSize(n);
      List<String> joined = new ArrayList<>();
      for (Trace trace : got) {
        joined.add(assertChain(trace, service, load, "proxy").path());
      }
      assertThat(joined)
          .containsExactlyInAnyOrderElementsOf(
              responses.stream().map(r -> r.get("path").getAsString()).toList());
      Map<String, Double> after = NodeQueries.metrics(base);
      String received = "threadline_correlator_s_spans_received_total";
      String tcpSeq = "threadline_correlator_joins_total{rule=\"tcp_seq\"}";
      String proxy = "threadline_correlator_joins_total{rule=\"proxy\"}";
      assertThat(after.get(received) - before.get(received)).isGreaterThanOrEqualTo(4.0 * n);
      assertThat(after.get(tcpSeq) - before.get(tcpSeq)).isGreaterThanOrEqualTo(2.0 * n);
      assertThat(after.get(proxy) - before.get(proxy)).isGreaterThanOrEqualTo(n);
    }
  }

  @Test
  void anExchangeWhosePeerIsNotTracedSettlesUnjoined() throws Exception {
    String service = "nodeit-l4-" + RUN;
    String unjoined = "threadline_correlator_s_spans_unjoined_total";
    double before = metric(node.baseUrl(), unjoined);
    // The peer is this JVM, which the node does not trace: the exchange has no other side.
    try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> answer(peer));
      Map<String, Object> raw =
          Map.of(
              "raw",
              Map.of(
                  "host", "127.0.0.1", "port", peer.getLocalPort(), "send", "PING " + RUN + "\n"));
      try (PythonProcess client =
          PythonProcess.start(python, "client.py", GSON.toJson(raw), service)) {
        assertThat(client.next(WAIT).get("raw").getAsString()).isEqualTo("PONG " + RUN + "\n");
        assertThat(heard.get()).isEqualTo("PING " + RUN);

        List<Trace> got = await(WAIT, () -> traces(node.baseUrl(), service), t -> !t.isEmpty());
        assertThat(got).hasSize(1);
        Trace trace = got.get(0);
        assertAllS(trace);
        Span exchange = trace.spans().get(0);
        assertThat(trace.spans()).hasSize(1);
        assertThat(exchange.name()).isEqualTo("TCP exchange");
        assertThat(exchange.attr("network.protocol.name")).isEqualTo("l4");
        assertThat(exchange.side()).isEqualTo("c-p");
        assertThat(exchange.attr("server.port")).isEqualTo(Integer.toString(peer.getLocalPort()));
        assertThat(exchange.attr("threadline.request.bytes"))
            .isEqualTo(Integer.toString(RUN.length() + 6));
        assertThat(exchange.attr("threadline.response.bytes"))
            .isEqualTo(Integer.toString(RUN.length() + 6));

        // Settled when its window passed (forwarded then), counted as unjoined just before.
        Optional<Trace> forwarded =
            await(WAIT, () -> trace(collector.baseUrl(), trace.traceId()), Optional::isPresent);
        assertThat(forwarded).as("settled and forwarded").isPresent();
        assertThat(forwarded.get().spans())
            .singleElement()
            .satisfies(
                s -> {
                  assertThat(s.spanId()).isEqualTo(exchange.spanId());
                  assertThat(s.parentSpanId()).isEmpty();
                  assertThat(s.origin()).isEqualTo("S");
                  assertThat(s.attr("threadline.join.rule")).isNull();
                });
        assertThat(metric(node.baseUrl(), unjoined)).isGreaterThanOrEqualTo(before + 1);
        assertThat(trace(node.baseUrl(), trace.traceId()))
            .hasValueSatisfying(
                t ->
                    assertThat(t.spans())
                        .singleElement()
                        .satisfies(
                            s -> {
                              assertThat(s.parentSpanId()).isEmpty();
                              assertThat(s.attr("threadline.join.rule")).isNull();
                            }));
      }
    }
  }

  @Test
  void settledSpansArriveAtTheForwardTargetAsTheNodeJoinedThem() throws Exception {
    String service = "nodeit-forward-" + RUN;
    List<String> paths = List.of("/fw/" + RUN + "/1", "/fw/" + RUN + "/2");
    assertThat(collector.kernelStatus()).startsWith("off");
    try (PythonProcess client =
        client(service, nginx.port4(), List.of(paths.stream().map(p -> get(p)).toList()))) {
      assertThat(client.responses(WAIT)).hasSize(2).allSatisfy(r -> assertOk(r));
      List<Trace> got = awaitChains(service, 2);
      assertThat(got).hasSize(2);
      for (Trace trace : got) {
        assertChain(trace, service, client, "proxy");
        Optional<Trace> there =
            await(
                WAIT,
                () -> trace(collector.baseUrl(), trace.traceId()),
                t -> t.isPresent() && t.get().spans().size() == 4);
        assertThat(there).as("forwarded " + trace.traceId()).isPresent();
        assertThat(there.get().traceId()).isEqualTo(trace.traceId());
        assertThat(there.get().spans()).hasSize(4);
        for (Span mine : trace.spans()) {
          Span theirs = there.get().span(mine.spanId()).orElseThrow();
          assertThat(theirs.traceId()).isEqualTo(trace.traceId());
          assertThat(theirs.parentSpanId()).isEqualTo(mine.parentSpanId());
          assertThat(theirs.origin()).isEqualTo("S");
          assertThat(theirs.kind()).isEqualTo(mine.kind());
          assertThat(theirs.service()).isEqualTo(mine.service());
          for (String key :
              List.of(
                  "threadline.s.side",
                  "threadline.join.rule",
                  "threadline.tcp.request_seq",
                  "url.path",
                  "process.pid",
                  "threadline.span.origin")) {
            assertThat(theirs.attr(key)).as(key).isEqualTo(mine.attr(key));
          }
        }
      }
      // The node still holds them as it forwarded them.
      assertThat(traces(node.baseUrl(), service)).hasSize(2);
    }
  }

  // --- one request through nginx ---------------------------------------------------------------

  /** client c-p → nginx s-p (tcp_seq) → nginx c-p (the rule under test) → backend s-p (tcp_seq). */
  private record Chain(Span client, Span ingress, Span upstream, Span backend) {
    String path() {
      return client.attr("url.path");
    }
  }

  private static List<Trace> awaitChains(String service, int count) {
    return await(
        WAIT,
        () -> traces(node.baseUrl(), service),
        t -> t.size() == count && t.stream().allMatch(NodeKernelSideTest::isChain));
  }

  private static boolean isChain(Trace trace) {
    return trace.spans().size() == 4 && depth(trace) == 4;
  }

  private static boolean isPair(Trace trace) {
    return trace.spans().size() == 2 && depth(trace) == 2;
  }

  /** How many spans hang in one line from a root (spans whose parent is not in the trace). */
  private static int depth(Trace trace) {
    int deepest = 0;
    for (Span span : trace.spans()) {
      int depth = 0;
      for (Span s = span; s != null; s = trace.span(s.parentSpanId()).orElse(null)) {
        if (++depth > trace.spans().size()) {
          return -1; // a cycle
        }
      }
      deepest = Math.max(deepest, depth);
    }
    return deepest;
  }

  private static Chain assertChain(Trace trace, String service, PythonProcess client, String rule) {
    assertAllS(trace);
    assertThat(trace.spans()).as(describe(trace)).hasSize(4);
    List<Integer> workers = nginx.workerPids();
    Predicate<Span> inNginx = s -> workers.contains(Integer.parseInt(s.attr("process.pid")));
    Span cp = one(trace, s -> service.equals(s.service()) && "c-p".equals(s.side()));
    Span ingress = one(trace, inNginx.and(s -> "s-p".equals(s.side())));
    Span upstream = one(trace, inNginx.and(s -> "c-p".equals(s.side())));
    Span sp = one(trace, s -> BACKEND.equals(s.service()) && "s-p".equals(s.side()));
    String path = cp.attr("url.path");
    assertThat(trace.spans())
        .as("every span of the trace is of one request: " + describe(trace))
        .allSatisfy(s -> assertThat(s.attr("url.path")).isEqualTo(path));
    assertThat(cp.parentSpanId()).isEmpty();
    assertThat(cp.attr("process.pid")).isEqualTo(Integer.toString(client.pid()));
    assertThat(ingress.parentSpanId()).as(describe(trace)).isEqualTo(cp.spanId());
    assertThat(ingress.attr("threadline.join.rule")).isEqualTo("tcp_seq");
    assertThat(ingress.attr("server.port")).isEqualTo(Integer.toString(nginx.port4()));
    assertThat(ingress.attr("threadline.tcp.request_seq"))
        .isEqualTo(cp.attr("threadline.tcp.request_seq"));
    assertThat(upstream.parentSpanId()).as(describe(trace)).isEqualTo(ingress.spanId());
    assertThat(upstream.attr("threadline.join.rule")).isEqualTo(rule);
    assertThat(upstream.attr("server.port")).isEqualTo(Integer.toString(backendPort));
    assertThat(sp.parentSpanId()).as(describe(trace)).isEqualTo(upstream.spanId());
    assertThat(sp.attr("threadline.join.rule")).isEqualTo("tcp_seq");
    assertThat(sp.attr("process.pid")).isEqualTo(Integer.toString(backend.pid()));
    assertThat(sp.attr("threadline.tcp.request_seq"))
        .isEqualTo(upstream.attr("threadline.tcp.request_seq"));
    return new Chain(cp, ingress, upstream, sp);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static void assertAllS(Trace trace) {
    assertThat(trace.spans())
        .as(describe(trace))
        .allSatisfy(
            s -> {
              assertThat(s.origin()).isEqualTo("S");
              assertThat(s.attr("threadline.span.origin")).isEqualTo("S");
              assertThat(s.traceId()).as("the span's trace id").isEqualTo(trace.traceId());
            });
  }

  private static Span one(Trace trace, Predicate<Span> which) {
    List<Span> found = trace.where(which);
    assertThat(found).as(describe(trace)).hasSize(1);
    return found.get(0);
  }

  private static String describe(Trace trace) {
    StringBuilder text = new StringBuilder("trace " + trace.traceId() + ":");
    for (Span s : trace.spans()) {
      text.append("\n  ")
          .append(s.spanId())
          .append(" <- ")
          .append(s.parentSpanId().isEmpty() ? "(root)" : s.parentSpanId())
          .append(' ')
          .append(s.side())
          .append(' ')
          .append(s.service())
          .append(" pid ")
          .append(s.attr("process.pid"))
          .append(' ')
          .append(s.name())
          .append(" rule ")
          .append(s.attr("threadline.join.rule"));
    }
    return text.toString();
  }

  private static void assertOk(JsonObject response) {
    assertThat(response.get("status").getAsInt()).as(response.toString()).isEqualTo(200);
    assertThat(response.get("body").getAsString())
        .isEqualTo("ok " + response.get("path").getAsString() + "\n");
  }

  private static PythonProcess client(
      String service, int port, List<? extends List<Map<String, Object>>> connections)
      throws IOException {
    return client(service, port, connections, 0);
  }

  /** With {@code repeat} > 0, each connection repeats its request until told to stop. */
  private static PythonProcess client(
      String service, int port, List<? extends List<Map<String, Object>>> connections, int repeat)
      throws IOException {
    Map<String, Object> spec =
        Map.of("host", "127.0.0.1", "port", port, "connections", connections, "repeat", repeat);
    return PythonProcess.start(python, "client.py", GSON.toJson(spec), service);
  }

  private static Map<String, Object> get(String target) {
    return Map.of("method", "GET", "path", target);
  }

  private static Map<String, Object> get(String target, Map<String, String> headers) {
    return Map.of("method", "GET", "path", target, "headers", headers);
  }

  private static Map<String, Object> post(String target, String json) {
    return Map.of(
        "method",
        "POST",
        "path",
        target,
        "headers",
        Map.of("Content-Type", "application/json"),
        "body",
        json);
  }

  /** Reads one line on the first connection, answers it, and waits for the client to close. */
  private static String answer(ServerSocket peer) {
    try (Socket socket = peer.accept()) {
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int b = in.read(); b != '\n' && b >= 0; b = in.read()) {
        line.append((char) b);
      }
      OutputStream out = socket.getOutputStream();
      out.write(("PONG " + RUN + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      while (in.read() >= 0) {
        // until the client closes
      }
      return line.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] otlp(String traceId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            KeyValue.newBuilder()
                                .setKey("service.name")
                                .setValue(
                                    AnyValue.newBuilder().setStringValue("nodeit-proto-" + RUN))))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .addSpans(
                            io.opentelemetry.proto.trace.v1.Span.newBuilder()
                                .setTraceId(ByteString.copyFrom(HEX.parseHex(traceId)))
                                .setSpanId(ByteString.copyFrom(HEX.parseHex(hex(8))))
                                .setName("protobuf-during-tracing")
                                .setKind(
                                    io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER)
                                .setStartTimeUnixNano(now - 5_000_000L)
                                .setEndTimeUnixNano(now))))
        .build()
        .toByteArray();
  }

  private static String otlpJson(String traceId, String service) {
    long now = System.currentTimeMillis() * 1_000_000L;
    Map<String, Object> span =
        Map.of(
            "traceId",
            traceId,
            "spanId",
            hex(8),
            "name",
            "json-from-python",
            "kind",
            2,
            "startTimeUnixNano",
            Long.toString(now - 5_000_000L),
            "endTimeUnixNano",
            Long.toString(now));
    Map<String, Object> resource =
        Map.of(
            "attributes",
            List.of(Map.of("key", "service.name", "value", Map.of("stringValue", service))));
    return GSON.toJson(
        Map.of(
            "resourceSpans",
            List.of(
                Map.of(
                    "resource", resource, "scopeSpans", List.of(Map.of("spans", List.of(span)))))));
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    b[0] |= 1; // never all zero
    return HEX.formatHex(b);
  }
}
