package dev.threadline.bridge.span;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.SpanCollector;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the real kernel for protocols that are not HTTP. */
class SocketTracerTest {
  private static final int SELF = (int) ProcessHandle.current().pid();

  /** What a test does over one traced loopback connection. */
  private interface Traffic {
    void run(Socket client, Socket accepted) throws Exception;
  }

  @Test
  void binaryRequestResponseProtocolGivesL4SpansOnBothEnds() throws Exception {
    List<SSpan> got =
        traced(
            4,
            (client, accepted) -> {
              OutputStream out = client.getOutputStream();
              InputStream in = accepted.getInputStream();
              for (int i = 0; i < 2; i++) {
                out.write(new byte[] {0, 0, 0, 4, 'p', 'i', 'n', 'g'});
                assertThat(in.readNBytes(8)).hasSize(8);
                accepted.getOutputStream().write(new byte[] {0, 0, 0, 2, 'o', 'k'});
                assertThat(client.getInputStream().readNBytes(6)).hasSize(6);
              }
            });
    assertThat(got)
        .hasSize(4)
        .allSatisfy(
            s -> {
              assertThat(s.protocol()).isEqualTo("l4");
              assertThat(s.requestBytes()).isEqualTo(8);
              assertThat(s.responseBytes()).isEqualTo(6);
              assertThat(s.request()).isNull();
            });
    List<SSpan> clients = got.stream().filter(s -> s.kind() == SpanKind.CLIENT).toList();
    List<SSpan> servers = got.stream().filter(s -> s.kind() == SpanKind.SERVER).toList();
    assertThat(clients).hasSize(2);
    assertThat(servers).hasSize(2);
    assertThat(clients)
        .extracting(SSpan::requestSeq)
        .containsExactlyInAnyOrderElementsOf(servers.stream().map(SSpan::requestSeq).toList());
  }

  @Test
  void aServerThatSpeaksFirstIsStillTheServer() throws Exception {
    // A greeting protocol (SMTP, MySQL): the accepted end writes first. Its role comes from the TCP
    // handshake (ACCEPT), not from who spoke first.
    int[] port = new int[1];
    List<SSpan> got =
        traced(
            2,
            (client, accepted) -> {
              port[0] = accepted.getLocalPort();
              accepted
                  .getOutputStream()
                  .write(new byte[] {'2', '2', '0', ' ', 'h', 'i', '\r', '\n'});
              assertThat(client.getInputStream().readNBytes(8)).hasSize(8);
              client.getOutputStream().write(new byte[] {'Q', 'U', 'I', 'T', '\r', '\n'});
              assertThat(accepted.getInputStream().readNBytes(6)).hasSize(6);
            });
    assertThat(got).hasSize(2).allSatisfy(s -> assertThat(s.protocol()).isEqualTo("l4"));
    SSpan greeting =
        got.stream().filter(s -> s.local().port() == port[0]).findFirst().orElseThrow();
    assertThat(greeting.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(greeting.requestBytes()).as("the greeting").isEqualTo(8);
    assertThat(greeting.responseBytes()).isEqualTo(6);
    assertThat(
            got.stream().filter(s -> s.remote().port() == port[0]).findFirst().orElseThrow().kind())
        .isEqualTo(SpanKind.CLIENT);
  }

  /**
   * Runs {@code traffic} over a loopback connection made while this process and the port are
   * traced, closes it, and returns its S spans once {@code spans} arrived and a marker exchange
   * after them bounded the rest (checking that the consumer raised nothing).
   */
  private static List<SSpan> traced(int spans, Traffic traffic) throws Exception {
    EbpfRequirement.requireEbpf();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // The marker: one HTTP exchange on a new connection to the port, after the test's sockets
      // closed (their L4 spans are flushed by their closes, which come before it).
      SpanCollector collector =
          new SpanCollector(
              () -> {
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
                    Socket accepted = server.accept()) {
                  client.getOutputStream().write(ascii("GET /marker HTTP/1.1\r\nHost: x\r\n\r\n"));
                  assertThat(accepted.getInputStream().readNBytes(33)).hasSize(33);
                  accepted.getOutputStream().write(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
                  assertThat(client.getInputStream().readNBytes(27)).hasSize(27);
                }
                return new SpanCollector.Marker.Spans(s -> "/marker".equals(s.path()), 2);
              });
      TraceConfig config =
          new TraceConfig(TraceConfig.DEFAULT_CAPTURE, Set.of(SELF), Set.of(port), SELF);
      try (SocketTracer tracer = SocketTracer.start(config, collector)) {
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
            Socket accepted = server.accept()) {
          traffic.run(client, accepted);
        }
        List<SSpan> got =
            collector.await(s -> !"/marker".equals(s.path()), spans, Duration.ofSeconds(10));
        assertThat(tracer.failure()).isNull();
        return got;
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
