package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code HEAD} of every node route is answered like {@code GET} without the body: same status, same
 * headers, the {@code Content-Length} the body would have. The JDK server logs a warning (to
 * stderr, through {@code java.util.logging}) each time a handler answers HEAD with a body length;
 * its logger is recorded at every level here, and must stay silent.
 */
class NodeHeadTest {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  // A strong reference: java.util.logging keeps only weak ones, and a collected logger would lose
  // the handler and its level.
  private static final Logger SERVER_LOGGER = Logger.getLogger("com.sun.net.httpserver");
  private static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();
  private static final Handler RECORDER =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          RECORDS.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private static Level previousLevel;
  private static NodeServer node;

  @BeforeAll
  static void start() throws Exception {
    previousLevel = SERVER_LOGGER.getLevel();
    SERVER_LOGGER.setLevel(Level.ALL);
    RECORDER.setLevel(Level.ALL);
    SERVER_LOGGER.addHandler(RECORDER);
    node = NodeServer.start(NodeConfig.defaults().withPort(0));
    NodeHttp.post(
        node.baseUrl() + "/v1/traces",
        "application/x-protobuf",
        null,
        KongPayload.kong(1_000).toByteArray());
  }

  @AfterAll
  static void stop() {
    node.close();
    SERVER_LOGGER.removeHandler(RECORDER);
    SERVER_LOGGER.setLevel(previousLevel);
  }

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of("/", 200, "text/html; charset=utf-8"),
        Arguments.of("/index.html", 200, "text/html; charset=utf-8"),
        Arguments.of("/viewer.js", 200, "text/javascript; charset=utf-8"),
        Arguments.of("/viewer.css", 200, "text/css; charset=utf-8"),
        Arguments.of("/no-such-page", 404, "text/plain; charset=utf-8"),
        Arguments.of("/api/traces", 200, "application/json; charset=utf-8"),
        Arguments.of("/api/traces?service=kong", 200, "application/json; charset=utf-8"),
        Arguments.of("/api/traces/" + KongPayload.TRACE_ID, 200, "application/json; charset=utf-8"),
        Arguments.of("/api/traces/" + "0".repeat(31) + "1", 404, "application/json; charset=utf-8"),
        Arguments.of("/api/traces/nothex", 400, "application/json; charset=utf-8"),
        Arguments.of("/api/services", 200, "application/json; charset=utf-8"),
        Arguments.of("/api/status", 200, "application/json; charset=utf-8"),
        Arguments.of("/api/nothing", 404, "application/json; charset=utf-8"),
        Arguments.of("/metrics", 200, "text/plain; version=0.0.4; charset=utf-8"),
        Arguments.of("/v1/traces", 405, "text/plain; charset=utf-8"),
        Arguments.of("/api/v1/otel/trace", 405, "text/plain; charset=utf-8"),
        Arguments.of("/v1/traces/extra", 404, "text/plain; charset=utf-8"));
  }

  @ParameterizedTest(name = "HEAD {0}")
  @MethodSource("routes")
  void headIsGetWithoutTheBodyAndTheServerLogsNothing(String path, int status, String type)
      throws Exception {
    RECORDS.clear();
    HttpResponse<byte[]> get = send(path, "GET");
    HttpResponse<byte[]> head = send(path, "HEAD");
    // Twice on one connection: a HEAD answer that wrote a body would corrupt the next response.
    HttpResponse<byte[]> again = send(path, "HEAD");

    assertThat(get.statusCode()).isEqualTo(status);
    assertThat(head.statusCode()).isEqualTo(status);
    assertThat(again.statusCode()).isEqualTo(status);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Type")).hasValue(type);
    assertThat(head.headers().firstValue("Content-Type"))
        .isEqualTo(get.headers().firstValue("Content-Type"));
    assertThat(head.headers().firstValue("Allow")).isEqualTo(get.headers().firstValue("Allow"));
    if (!path.equals("/metrics")) {
      // A scrape's text changes from one scrape to the next; every other body is stable here.
      assertThat(head.headers().firstValueAsLong("Content-Length"))
          .hasValue((long) get.body().length);
    } else {
      assertThat(head.headers().firstValueAsLong("Content-Length")).isPresent();
    }
    // At FINE the server logs each request line, HEAD ones included; that is its access log. A
    // warning, or an exception at any level (a body written after a HEAD answer), is the defect.
    assertThat(RECORDS)
        .filteredOn(r -> r.getLevel().intValue() >= Level.INFO.intValue() || r.getThrown() != null)
        .extracting(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown())
        .isEmpty();
  }

  private static HttpResponse<byte[]> send(String path, String method) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
