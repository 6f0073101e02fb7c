package dev.threadline.bridge.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadline.bridge.cli.Main;
import dev.threadline.sdk.export.UrlRedaction;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NodeCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, CountDownLatch stop, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "node";
    System.arraycopy(args, 0, command, 1, args.length);
    return Main.run(
        command,
        env::get,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        stop);
  }

  @Test
  void defaultsAreLoopbackAndDocumentedLimits() {
    NodeConfig config = NodeOptions.parse(new String[] {}, name -> null);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(14318);
    assertThat(config.receiverLimits().maxBodyBytes()).isEqualTo(4 << 20);
    assertThat(config.receiverLimits().maxDecodedBytes()).isEqualTo(8 << 20);
    assertThat(config.storeLimits().maxBytes()).isEqualTo(128L << 20);
    assertThat(config.storeLimits().maxAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.forward()).isNull();
    assertThat(config.urlRedaction()).isSameAs(UrlRedaction.defaults());
  }

  @Test
  void redactedQueryParametersComeFromTheSdksVariableOrTheFlag() {
    Map<String, String> env = Map.of("THREADLINE_REDACT_QUERY_PARAMETERS", "otp, ticket");
    assertThat(NodeOptions.parse(new String[] {}, env::get).urlRedaction().parameters())
        .containsExactly("otp", "ticket");
    assertThat(
            NodeOptions.parse(new String[] {"--redact-query-parameters=code"}, env::get)
                .urlRedaction()
                .parameters())
        .containsExactly("code");
  }

  @Test
  void flagsWinOverEnvironmentVariables() {
    Map<String, String> env =
        Map.of(
            "THREADLINE_NODE_LISTEN", "0.0.0.0:9999",
            "THREADLINE_NODE_STORE_MAX_BYTES", "1GiB",
            "THREADLINE_NODE_STORE_MAX_AGE", "2h",
            "THREADLINE_NODE_FORWARD", "http://tempo:4318/v1/traces",
            "THREADLINE_NODE_FORWARD_HEADERS", "Authorization=Bearer x,X-Scope-OrgID=team");
    NodeConfig config =
        NodeOptions.parse(
            new String[] {
              "--listen",
              "[::1]:15000",
              "--max-body=512k",
              "--store-max-age",
              "PT90S",
              "--forward-header",
              "X-Extra=1",
              "--threads",
              "2"
            },
            env::get);
    assertThat(config.host()).isEqualTo("::1");
    assertThat(config.port()).isEqualTo(15000);
    assertThat(config.receiverLimits().maxBodyBytes()).isEqualTo(512 * 1024);
    assertThat(config.storeLimits().maxBytes()).isEqualTo(1L << 30);
    assertThat(config.storeLimits().maxAge()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.threads()).isEqualTo(2);
    assertThat(config.forward().endpoint().toString()).isEqualTo("http://tempo:4318/v1/traces");
    assertThat(config.forward().headers())
        .containsOnlyKeys("Authorization", "X-Scope-OrgID", "X-Extra");
    assertThat(config.forward().toString()).doesNotContain("Bearer");
  }

  @Test
  void badOptionsSayWhatIsWrong() {
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--nope"}, n -> null))
        .hasMessage("Unknown option: '--nope'");
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--max-body", "lots"}, n -> null))
        .hasMessageContaining("--max-body must be a size like 4MiB");
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--store-max-age", "soon"}, n -> null))
        .hasMessageContaining("--store-max-age");
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--forward", "ftp://x/"}, n -> null))
        .hasMessageContaining("http(s)");
    assertThatThrownBy(() -> NodeOptions.parse(new String[] {"--listen", "localhost"}, n -> null))
        .hasMessageContaining("HOST:PORT");
    assertThat(run(Map.of(), new CountDownLatch(0), "--threads")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith(
            "threadline-bridge node: Missing required parameter for option '--threads' (N)\n")
        .contains("usage: threadline-bridge node");
    err.reset();
    assertThat(run(Map.of("THREADLINE_NODE_MAX_BODY", "lots"), new CountDownLatch(0)))
        .as("a bad environment variable is a usage error too")
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("threadline-bridge node: --max-body must be a size like 4MiB, was lots\n");
  }

  @Test
  void ringSizeReadTimeoutAndConnectionLimitComeFromFlagsOrEnvironment() {
    NodeConfig defaults = NodeOptions.parse(new String[] {}, name -> null);
    assertThat(defaults.ringBufferBytes()).isEqualTo(16 << 20);
    assertThat(defaults.connections()).isEqualTo(ConnectionLimits.defaults());
    assertThat(defaults.connections().readTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.connections().maxConnections()).isEqualTo(256);

    Map<String, String> env =
        Map.of(
            "THREADLINE_NODE_RING_SIZE", "64MiB",
            "THREADLINE_NODE_READ_TIMEOUT", "5s",
            "THREADLINE_NODE_MAX_CONNECTIONS", "32");
    NodeConfig fromEnv = NodeOptions.parse(new String[] {}, env::get);
    assertThat(fromEnv.ringBufferBytes()).isEqualTo(64 << 20);
    assertThat(fromEnv.connections()).isEqualTo(new ConnectionLimits(Duration.ofSeconds(5), 32));

    NodeConfig fromFlags =
        NodeOptions.parse(
            new String[] {"--ring-size", "4k", "--read-timeout=2s", "--max-connections", "8"},
            env::get);
    assertThat(fromFlags.ringBufferBytes()).isEqualTo(4096);
    assertThat(fromFlags.connections()).isEqualTo(new ConnectionLimits(Duration.ofSeconds(2), 8));
  }

  @Test
  void anOutOfRangeRingSizeTimeoutOrLimitIsAUsageError() {
    for (String[] bad :
        new String[][] {
          {"--ring-size", "5000", "--ring-size must be a power of two from 4KiB to 256MiB"},
          {"--ring-size", "2k", "--ring-size must be a power of two from 4KiB to 256MiB"},
          {"--ring-size", "512MiB", "--ring-size out of range"},
          {"--read-timeout", "0s", "--read-timeout must be positive"},
          {"--read-timeout", "soon", "--read-timeout must be like 90s"},
          {"--max-connections", "0", "--max-connections must be in 1..65536"},
        }) {
      err.reset();
      assertThat(run(Map.of(), new CountDownLatch(0), bad[0], bad[1]))
          .as("%s %s", bad[0], bad[1])
          .isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .as("%s %s", bad[0], bad[1])
          .startsWith("threadline-bridge node: " + bad[2]);
    }
    err.reset();
    assertThat(run(Map.of("THREADLINE_NODE_RING_SIZE", "3MiB"), new CountDownLatch(0)))
        .as("a bad environment variable is a usage error too")
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("threadline-bridge node: --ring-size must be a power of two");
  }

  @Test
  void aTakenPortIsExitCodeThreeWithTheFix() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(
              run(Map.of(), new CountDownLatch(0), "--listen", "127.0.0.1:" + taken.getLocalPort()))
          .isEqualTo(3);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("cannot listen on")
        .contains("--listen");
  }

  @Test
  void runsUntilStoppedAndPrintsWhereEverythingIs() throws Exception {
    CountDownLatch stop = new CountDownLatch(1);
    AtomicInteger exit = new AtomicInteger(-1);
    Thread node =
        new Thread(() -> exit.set(run(Map.of("THREADLINE_NODE_LISTEN", "127.0.0.1:0"), stop)));
    node.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!out.toString(StandardCharsets.UTF_8).contains("metrics")
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    String banner = out.toString(StandardCharsets.UTF_8);
    assertThat(banner)
        .contains("listening on http://127.0.0.1:")
        .contains("/v1/traces")
        .contains("/api/traces");
    String base = banner.substring(banner.indexOf("http://"), banner.indexOf('\n')).trim();
    assertThat(NodeHttp.getText(base + "/")).contains("<title>Threadline node</title>");
    stop.countDown();
    node.join(10_000);
    assertThat(exit.get()).isZero();
  }
}
