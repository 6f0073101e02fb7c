package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.node.receiver.ReceiverLimits;
import io.micrometer.core.instrument.Gauge;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send slowly or not at all, over real sockets: while they stall, a valid export is
 * answered at once; each stalled connection is closed after the read timeout; a body left unread
 * closes its connection right after the 413; connections beyond the bound are refused at once and
 * counted.
 */
class SlowClientTest {
  private static final Duration SERVED_WITHIN = Duration.ofSeconds(1);
  private static final String PARTIAL_HEADERS =
      "POST /v1/traces HTTP/1.1\r\nHost: node\r\nContent-Type: application/x-protobuf\r\n";

  private final List<Socket> clients = new ArrayList<>();
  private NodeServer node;

  private void start(ConnectionLimits limits) throws Exception {
    node =
        NodeServer.start(
            NodeConfig.defaults()
                .withPort(0)
                .withReceiverLimits(new ReceiverLimits(64 * 1024, 1 << 20))
                .withConnections(limits));
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket client : clients) {
      client.close();
    }
    node.close();
  }

  @Test
  void eightStalledBodiesDoNotDelayAValidExport() throws Exception {
    start(ConnectionLimits.defaults());
    for (int i = 0; i < 8; i++) {
      stall(PARTIAL_HEADERS + "Content-Length: 1000\r\n\r\nx");
    }
    awaitServing(8);
    assertValidExportServedWithin(SERVED_WITHIN);
  }

  @Test
  void fiftyUnfinishedHeadersDoNotDelayAValidExport() throws Exception {
    start(ConnectionLimits.defaults());
    for (int i = 0; i < 50; i++) {
      stall(PARTIAL_HEADERS);
    }
    awaitServing(50);
    assertValidExportServedWithin(SERVED_WITHIN);
  }

  @Test
  void stalledHeadersAndBodiesAreClosedAfterTheReadTimeout() throws Exception {
    start(new ConnectionLimits(Duration.ofSeconds(1), 16));
    Socket headers = stall(PARTIAL_HEADERS);
    Socket body = stall(PARTIAL_HEADERS + "Content-Length: 1000\r\n\r\nx");
    long started = System.nanoTime();
    assertClosedByTheNode(headers, Duration.ofSeconds(5));
    assertClosedByTheNode(body, Duration.ofSeconds(5));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(node.metrics().count("threadline.node.connections.timed_out", "phase", "headers"))
        .isEqualTo(1);
    assertThat(node.metrics().count("threadline.node.connections.timed_out", "phase", "body"))
        .isEqualTo(1);
    assertValidExportServedWithin(SERVED_WITHIN);
  }

  @Test
  void aBodyLeftUnreadClosesItsConnectionRightAfterThe413() throws Exception {
    start(ConnectionLimits.defaults());
    Socket client = stall(PARTIAL_HEADERS + "Content-Length: 10000000000\r\n\r\nxxxx");
    client.setSoTimeout(5000);
    String head = readHead(client.getInputStream());
    assertThat(head).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
    assertClosedByTheNode(client, SERVED_WITHIN);

    // The same with a body actually sent past the limit (no length declared up front).
    Socket chunked =
        stall(
            PARTIAL_HEADERS
                + "Transfer-Encoding: chunked\r\n\r\n"
                + "10000\r\n"
                + "x".repeat(0x10000)
                + "\r\n10000\r\n"
                + "x".repeat(0x10000)
                + "\r\n");
    chunked.setSoTimeout(5000);
    assertThat(readHead(chunked.getInputStream())).startsWith("HTTP/1.1 413");
    assertClosedByTheNode(chunked, SERVED_WITHIN);
    assertValidExportServedWithin(SERVED_WITHIN);
  }

  @Test
  void connectionsBeyondTheBoundAreRefusedAtOnceAndCounted() throws Exception {
    start(new ConnectionLimits(Duration.ofSeconds(30), 4));
    List<Socket> stalled = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stalled.add(stall(PARTIAL_HEADERS));
    }
    awaitServing(4);
    Socket extra = stall("GET /api/status HTTP/1.1\r\nHost: node\r\n\r\n");
    assertClosedByTheNode(extra, SERVED_WITHIN);

    for (Socket socket : stalled) {
      socket.close();
    }
    awaitServing(0);
    String metrics = NodeHttp.getText(node.baseUrl() + "/metrics");
    assertThat(metrics).contains("threadline_node_connections_refused_total 1.0");
    assertValidExportServedWithin(SERVED_WITHIN);
  }

  private Socket stall(String sent) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port());
    clients.add(socket);
    socket.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Waits until exactly {@code n} connections are being served (their first bytes arrived). */
  private void awaitServing(int n) throws InterruptedException {
    Gauge active = node.metrics().registry().find("threadline.node.connections.active").gauge();
    await(() -> active.value() == n, Duration.ofSeconds(10), "connections served: " + n);
  }

  private void assertValidExportServedWithin(Duration bound) {
    byte[] export = KongPayload.kong(1_764_000_000_000_000_000L).toByteArray();
    long started = System.nanoTime();
    HttpResponse<byte[]> response =
        NodeHttp.post(node.baseUrl() + "/v1/traces", "application/x-protobuf", null, export);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(took).isLessThan(bound);
  }

  /** The node closes the connection: end of stream (or a reset) before {@code within}. */
  private static void assertClosedByTheNode(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // the rest of a response
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node kept the connection open for " + within, e);
    } catch (SocketException reset) {
      // closed with unread bytes in the node's receive buffer: a reset, as good as an end
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
