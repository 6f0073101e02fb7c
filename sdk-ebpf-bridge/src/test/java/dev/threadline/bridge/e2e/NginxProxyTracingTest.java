package dev.threadline.bridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.span.SSpan;
import dev.threadline.bridge.span.SocketTracer;
import dev.threadline.bridge.span.SpanKind;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.Nginx;
import dev.threadline.bridge.testing.SpanCollector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real thing: curl / JDK HttpClient -> nginx -> JDK HttpServer, traced by the bridge in this
 * JVM, which is also the backend. Traced processes: nginx's master (its workers follow as
 * descendants) and this JVM (and so the curl processes it starts). Asserts the exact S spans of
 * each process and that the two ends of every hop carry the same TCP seqs.
 */
class NginxProxyTracingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int SELF = (int) ProcessHandle.current().pid();
  private static final AtomicInteger MARKERS = new AtomicInteger();

  private static HttpServer backend;
  private static Nginx nginx;
  private static SocketTracer tracer;
  private static SpanCollector spans;
  private static Path curl;

  @BeforeAll
  static void start() throws Exception {
    EbpfRequirement.requireEbpf();
    Path nginxBinary = EbpfRequirement.requireExecutable("nginx", "nginx");
    curl = EbpfRequirement.requireExecutable("curl", "curl");
    // Wildcard bind: the JVM's dual-stack socket accepts nginx's IPv4 and IPv6 upstreams.
    backend = HttpServer.create(new InetSocketAddress(0), 64);
    backend.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          byte[] reply = ("ok " + body.length + "\n").getBytes(StandardCharsets.UTF_8);
          if (exchange.getRequestURI().getPath().endsWith("/chunked")) {
            exchange.sendResponseHeaders(200, 0); // 0 = chunked transfer encoding
          } else {
            exchange.sendResponseHeaders(200, reply.length);
          }
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply);
          }
        });
    backend.setExecutor(Executors.newFixedThreadPool(4));
    backend.start();
    nginx = Nginx.start(nginxBinary, backend.getAddress().getPort());
    // The master only: its workers are found as its descendants, as with `trace --pid <master>`.
    Set<Integer> pids = Set.of(nginx.masterPid(), SELF);
    // Each count is bounded by a request through the whole chain made after the test's own.
    spans =
        new SpanCollector(
            () -> {
              String marker = "/marker/" + MARKERS.incrementAndGet();
              assertThat(curl("-sS", "http://127.0.0.1:" + nginx.port4() + marker))
                  .isEqualTo("ok 0\n");
              return new SpanCollector.Marker.Spans(path(marker), 4);
            });
    TraceConfig config =
        TraceConfig.allButSelf()
            .withPids(pids)
            .withPorts(Set.of(nginx.port4(), nginx.port6(), backend.getAddress().getPort()));
    tracer = SocketTracer.start(config, spans);
  }

  @AfterAll
  static void stop() throws Exception {
    if (tracer != null) {
      long lost = tracer.lostEvents();
      tracer.close();
      assertThat(tracer.failure()).isNull();
      assertThat(lost).as("events lost in the ring buffer").isZero();
    }
    if (nginx != null) {
      nginx.close();
    }
    if (backend != null) {
      backend.stop(0);
      ((java.util.concurrent.ExecutorService) backend.getExecutor()).shutdownNow();
    }
  }

  @Test
  void curlThroughNginxGivesThreeSpansJoinedByTcpSeq() throws Exception {
    String out =
        curl(
            "-sS",
            "-H",
            "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "-H",
            "x-request-id: req-42",
            "http://127.0.0.1:" + nginx.port4() + "/hello?x=1");
    assertThat(out).isEqualTo("ok 0\n");

    // curl is traced too: it is a child of this (listed) JVM.
    List<SSpan> got = spans.await(path("/hello?x=1"), 4, WAIT);
    SSpan sent = one(got, curlSpan());
    SSpan ingress = one(got, nginxSpan(SpanKind.SERVER));
    SSpan upstream = one(got, nginxSpan(SpanKind.CLIENT));
    SSpan received = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.SERVER);
    assertThat(got).hasSize(4);

    assertThat(sent.requestSeq()).isEqualTo(ingress.requestSeq());
    assertThat(sent.responseSeq()).isEqualTo(ingress.responseSeq());
    assertThat(sent.remote()).isEqualTo(ingress.local());

    assertThat(ingress.local().port()).isEqualTo(nginx.port4());
    assertThat(ingress.comm()).isEqualTo("nginx");
    assertThat(ingress.method()).isEqualTo("GET");
    assertThat(ingress.status()).isEqualTo(200);
    assertThat(ingress.protocol()).isEqualTo("http");
    assertThat(ingress.request().traceparent())
        .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    assertThat(ingress.request().requestId()).isEqualTo("req-42");

    assertThat(upstream.remote().port()).isEqualTo(backend.getAddress().getPort());
    assertThat(upstream.request().traceparent()).isEqualTo(ingress.request().traceparent());
    assertThat(received.local().port()).isEqualTo(backend.getAddress().getPort());
    assertThat(received.remote()).isEqualTo(upstream.local());
    assertThat(received.local()).isEqualTo(upstream.remote());
    // The gateway hop: same bytes on the wire, same sequence numbers on both ends.
    assertThat(received.requestSeq()).isEqualTo(upstream.requestSeq());
    assertThat(received.responseSeq()).isEqualTo(upstream.responseSeq());
    assertThat(received.requestBytes()).isEqualTo(upstream.requestBytes());
    assertThat(received.responseBytes()).isEqualTo(upstream.responseBytes());
    // Nesting in time: ingress contains upstream, upstream contains the backend's view.
    assertThat(ingress.startNanos()).isLessThan(upstream.startNanos());
    assertThat(ingress.endNanos()).isGreaterThan(upstream.endNanos());
    assertThat(upstream.startNanos()).isLessThan(received.endNanos());
    assertThat(received.requestTid()).isNotEqualTo(0);
  }

  @Test
  void keepAliveConnectionPairsEachRequestWithItsResponse() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + nginx.port4() + "/ka/";
    List<String> paths = List.of("/ka/1", "/ka/chunked", "/ka/3");
    for (String p : List.of("1", "chunked", "3")) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create(base + p)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
    }
    Set<Long> clientSockets = new HashSet<>();
    Set<Long> ingressSockets = new HashSet<>();
    for (String p : paths) {
      List<SSpan> got = spans.await(path(p), 4, WAIT);
      SSpan sent = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.CLIENT);
      SSpan ingress = one(got, nginxSpan(SpanKind.SERVER));
      SSpan upstream = one(got, nginxSpan(SpanKind.CLIENT));
      SSpan received = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.SERVER);
      assertThat(got).hasSize(4);
      assertThat(sent.requestSeq()).isEqualTo(ingress.requestSeq());
      assertThat(sent.responseSeq()).isEqualTo(ingress.responseSeq());
      assertThat(upstream.requestSeq()).isEqualTo(received.requestSeq());
      assertThat(sent.status()).isEqualTo(200);
      assertThat(received.status()).isEqualTo(200);
      clientSockets.add(sent.socketId());
      ingressSockets.add(ingress.socketId());
    }
    assertThat(clientSockets).as("one keep-alive client connection").hasSize(1);
    assertThat(ingressSockets).as("one keep-alive nginx connection").hasSize(1);
  }

  @Test
  void tenKibRequestBodyIsCountedAndForwarded() throws Exception {
    Path body = Files.createTempFile("threadline-body-", ".bin");
    Files.write(body, new byte[10 * 1024]);
    try {
      String out =
          curl(
              "-sS",
              "-H",
              "Expect:",
              "--data-binary",
              "@" + body,
              "http://127.0.0.1:" + nginx.port4() + "/upload");
      assertThat(out).isEqualTo("ok 10240\n");
    } finally {
      Files.delete(body);
    }
    List<SSpan> got = spans.await(path("/upload"), 4, WAIT);
    SSpan sent = one(got, curlSpan());
    SSpan ingress = one(got, nginxSpan(SpanKind.SERVER));
    SSpan upstream = one(got, nginxSpan(SpanKind.CLIENT));
    SSpan received = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.SERVER);
    assertThat(got).hasSize(4);
    assertThat(sent.requestBytes()).isEqualTo(ingress.requestBytes());
    assertThat(sent.requestSeq()).isEqualTo(ingress.requestSeq());
    assertThat(ingress.method()).isEqualTo("POST");
    assertThat(ingress.requestBytes()).isEqualTo(ingress.request().headBytes() + 10_240L);
    assertThat(upstream.requestBytes()).isEqualTo(upstream.request().headBytes() + 10_240L);
    assertThat(received.requestBytes()).isEqualTo(upstream.requestBytes());
    assertThat(received.requestSeq()).isEqualTo(upstream.requestSeq());
    assertThat(received.status()).isEqualTo(200);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", nginx.port4())) {
      String two =
          "GET /pipe/a HTTP/1.1\r\nHost: x\r\n\r\nGET /pipe/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(two.getBytes(StandardCharsets.US_ASCII));
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(all.split("HTTP/1.1 200", -1)).hasSize(3);
    }
    List<SSpan> a = spans.await(path("/pipe/a").and(nginxSpan(SpanKind.SERVER)), 1, WAIT);
    List<SSpan> b = spans.await(path("/pipe/b").and(nginxSpan(SpanKind.SERVER)), 1, WAIT);
    assertThat(a).hasSize(1);
    assertThat(b).hasSize(1);
    assertThat(a.get(0).socketId()).isEqualTo(b.get(0).socketId());
    // Both requests left the client in one write: the second starts right after the first.
    assertThat(b.get(0).requestSeq())
        .isEqualTo((a.get(0).requestSeq() + a.get(0).requestBytes()) & 0xFFFF_FFFFL);
    assertThat(b.get(0).responseSeq())
        .isEqualTo((a.get(0).responseSeq() + a.get(0).responseBytes()) & 0xFFFF_FFFFL);
    List<SSpan> received =
        spans.await(
            path("/pipe/b").and(s -> s.pid() == SELF && s.kind() == SpanKind.SERVER), 1, WAIT);
    assertThat(received).hasSize(1);
  }

  @Test
  void staticFilesSentWithSendfileKeepKeepAlivePairing() throws Exception {
    String url = "http://127.0.0.1:" + nginx.port4() + "/static/big.bin";
    // Two requests on one connection: the second pairs correctly only if the sendfile'd body was
    // counted.
    String out =
        curl(
            "-sS",
            "-o",
            "/dev/null",
            "-o",
            "/dev/null",
            "-w",
            "%{size_download} %{num_connects}\\n",
            url,
            url);
    assertThat(out).isEqualTo(Nginx.STATIC_FILE_BYTES + " 1\n" + Nginx.STATIC_FILE_BYTES + " 0\n");
    List<SSpan> got = spans.await(path("/static/big.bin"), 4, WAIT);
    List<SSpan> served =
        got.stream().filter(nginxSpan(SpanKind.SERVER)).collect(Collectors.toList());
    List<SSpan> fetched = got.stream().filter(curlSpan()).collect(Collectors.toList());
    assertThat(got).hasSize(4);
    assertThat(served)
        .hasSize(2)
        .allSatisfy(
            s -> {
              assertThat(s.status()).isEqualTo(200);
              assertThat(s.responseBytes())
                  .isEqualTo(s.response().headBytes() + (long) Nginx.STATIC_FILE_BYTES);
            });
    assertThat(served.get(0).socketId()).isEqualTo(served.get(1).socketId());
    assertThat(served.get(1).responseSeq())
        .isEqualTo((served.get(0).responseSeq() + served.get(0).responseBytes()) & 0xFFFF_FFFFL);
    assertThat(fetched).hasSize(2);
    assertThat(fetched)
        .extracting(SSpan::responseSeq)
        .containsExactlyElementsOf(
            served.stream().map(SSpan::responseSeq).collect(Collectors.toList()));
    assertThat(fetched)
        .extracting(SSpan::responseBytes)
        .containsExactlyElementsOf(
            served.stream().map(SSpan::responseBytes).collect(Collectors.toList()));
  }

  @Test
  void headersLongerThanTheCaptureStillPairAndJoin() throws Exception {
    // A 3 KiB cookie (a JWT does the same) pushes the end of the head past N = 1024 bytes.
    String out =
        curl(
            "-sS",
            "-H",
            "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "-H",
            "Cookie: session=" + "s".repeat(3000),
            "http://127.0.0.1:" + nginx.port4() + "/cookie");
    assertThat(out).isEqualTo("ok 0\n");
    List<SSpan> got = spans.await(path("/cookie"), 4, WAIT);
    SSpan sent = one(got, curlSpan());
    SSpan ingress = one(got, nginxSpan(SpanKind.SERVER));
    SSpan upstream = one(got, nginxSpan(SpanKind.CLIENT));
    SSpan received = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.SERVER);
    assertThat(got)
        .hasSize(4)
        .allSatisfy(
            s -> {
              assertThat(s.request().truncated()).isTrue();
              assertThat(s.status()).isEqualTo(200);
              assertThat(s.requestBytes()).isGreaterThan(3000);
            });
    assertThat(ingress.request().traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(sent.requestSeq()).isEqualTo(ingress.requestSeq());
    assertThat(sent.requestBytes()).isEqualTo(ingress.requestBytes());
    assertThat(upstream.requestSeq()).isEqualTo(received.requestSeq());
    assertThat(upstream.requestBytes()).isEqualTo(received.requestBytes());
    // The connection stays usable: the next request on the same keep-alive upstream pairs too.
    assertThat(curl("-sS", "http://127.0.0.1:" + nginx.port4() + "/after-cookie"))
        .isEqualTo("ok 0\n");
    assertThat(spans.await(path("/after-cookie").and(s -> s.status() == 200), 4, WAIT)).hasSize(4);
  }

  @Test
  void ipv6LoopbackEndToEnd() throws Exception {
    String out = curl("-sS", "-g", "http://[::1]:" + nginx.port6() + "/v6/six");
    assertThat(out).isEqualTo("ok 0\n");
    List<SSpan> got = spans.await(path("/v6/six"), 4, WAIT);
    SSpan sent = one(got, curlSpan());
    SSpan ingress = one(got, nginxSpan(SpanKind.SERVER));
    SSpan upstream = one(got, nginxSpan(SpanKind.CLIENT));
    SSpan received = one(got, s -> s.pid() == SELF && s.kind() == SpanKind.SERVER);
    assertThat(got).hasSize(4);
    assertThat(sent.local().address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(sent.requestSeq()).isEqualTo(ingress.requestSeq());
    assertThat(ingress.local().address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(ingress.local().port()).isEqualTo(nginx.port6());
    assertThat(upstream.remote().address().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(received.local()).isEqualTo(upstream.remote());
    assertThat(received.requestSeq()).isEqualTo(upstream.requestSeq());
  }

  private static Predicate<SSpan> path(String p) {
    return s -> p.equals(s.path());
  }

  private static Predicate<SSpan> nginxSpan(SpanKind kind) {
    return s -> nginx.workerPids().contains(s.pid()) && s.kind() == kind;
  }

  private static Predicate<SSpan> curlSpan() {
    return s -> "curl".equals(s.comm()) && s.kind() == SpanKind.CLIENT;
  }

  private static SSpan one(List<SSpan> spans, Predicate<SSpan> filter) {
    List<SSpan> matching = spans.stream().filter(filter).collect(Collectors.toList());
    assertThat(matching).as("exactly one matching span in %s", spans).hasSize(1);
    return matching.get(0);
  }

  private static String curl(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = curl.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl output: %s", out).isZero();
    return out;
  }
}
