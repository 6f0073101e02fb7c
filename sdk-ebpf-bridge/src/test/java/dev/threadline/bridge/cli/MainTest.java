package dev.threadline.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class MainTest {

  /** What one command line printed and returned. */
  private record Run(int code, String out, String err) {
    String firstErrorLine() {
      return err.lines().findFirst().orElse("");
    }
  }

  private static Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            Map.<String, String>of()::get,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new CountDownLatch(0));
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static TraceConfig parse(String... args) {
    ParseResult result =
        Main.commandLine(
                name -> null,
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()),
                new CountDownLatch(0))
            .parseArgs(args);
    return ((TraceCommand) result.subcommand().commandSpec().userObject()).config();
  }

  @Test
  void parsesPidsPortsAndCapture() {
    TraceConfig c = parse("trace", "--pid", "1", "--pid", "2", "--port", "80", "--capture", "64");
    assertThat(c.pids()).containsExactlyInAnyOrder(1, 2);
    assertThat(c.ports()).containsExactly(80);
    assertThat(c.captureBytes()).isEqualTo(64);
    assertThat(c.selfPid()).isEqualTo((int) ProcessHandle.current().pid());
    TraceConfig defaults = parse("trace");
    assertThat(defaults.pids()).isEmpty();
    assertThat(defaults.captureBytes()).isEqualTo(1024);
    assertThat(parse("trace", "--port=8080").ports()).containsExactly(8080);
  }

  @Test
  void rejectsBadArgumentsWithExitCodeTwoAndOneLineSayingWhy() {
    assertBadArguments(new String[] {}, "threadline-bridge: missing command");
    assertBadArguments(
        new String[] {"trace", "--port"},
        "threadline-bridge trace: Missing required parameter for option '--port' (PORT)");
    assertBadArguments(
        new String[] {"trace", "--port", "x"},
        "threadline-bridge trace: Invalid value for option '--port' (PORT): 'x' is not an int");
    assertBadArguments(
        new String[] {"trace", "--capture", "20000"},
        "threadline-bridge trace: captureBytes must be 0..16384, was 20000");
    assertBadArguments(
        new String[] {"trace", "--port", "70000"},
        "threadline-bridge trace: not a TCP port: 70000");
    assertBadArguments(
        new String[] {"trace", "--frobnicate"},
        "threadline-bridge trace: Unknown option: '--frobnicate'");
    assertBadArguments(
        new String[] {"trace", "--frobnicate", "1"},
        "threadline-bridge trace: Unknown options: '--frobnicate', '1'");
  }

  @Test
  void ringBufferSizeIsChecked() {
    assertThatThrownBy(() -> TraceConfig.allButSelf().withRingBufferBytes(3000))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> TraceConfig.allButSelf().withRingBufferBytes(1 << 30))
        .hasMessageContaining("256 MiB");
  }

  private static void assertBadArguments(String[] args, String firstLine) {
    Run run = cli(args);
    assertThat(run.code()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.firstErrorLine()).isEqualTo(firstLine);
    assertThat(run.err()).contains("usage: threadline-bridge");
  }

  @Test
  void badArgumentsExitWithUsage() {
    Run run = cli("dump");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("unknown command dump")
        .contains("usage: threadline-bridge [-hV] COMMAND")
        .contains("trace")
        .contains("node");
  }

  @Test
  void helpPrintsUsageAndExitsZero() {
    Run trace = cli("trace", "--help");
    assertThat(trace.code()).isZero();
    assertThat(trace.err()).isEmpty();
    assertThat(trace.out())
        .startsWith("usage: threadline-bridge trace")
        .contains("--pid=PID")
        .contains("--port=PORT")
        .contains("--capture=BYTES")
        .contains("default: 1024")
        .contains("--version");
    Run node = cli("node", "--help");
    assertThat(node.code()).isZero();
    assertThat(node.out())
        .startsWith("usage: threadline-bridge node")
        .contains("--listen=HOST:PORT")
        .contains("(env THREADLINE_NODE_LISTEN")
        .contains("default 127.0.0.1:14318")
        .contains("--forward-header=K=V")
        .contains("DURATION: 90s");
    assertThat(cli("node", "-h").out()).isEqualTo(node.out());
    Run top = cli("--help");
    assertThat(top.code()).isZero();
    assertThat(top.out()).startsWith("usage: threadline-bridge [-hV] COMMAND").contains("trace");
  }

  @Test
  void versionIsTheProjectVersionOnEveryCommand() {
    for (String[] args :
        new String[][] {{"--version"}, {"-V"}, {"trace", "--version"}, {"node", "--version"}}) {
      Run run = cli(args);
      assertThat(run.code()).as(String.join(" ", args)).isZero();
      assertThat(run.out()).matches("threadline-bridge \\d+\\.\\d+\\.\\d+[-.\\w]*\\R");
    }
  }

  @Test
  void nodeCommandIsDispatchedToTheNodeDaemon() throws Exception {
    // A bad option is reported by the node's own parser, under the node's name.
    Run bad = cli("node", "--no-such-option");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.firstErrorLine())
        .isEqualTo("threadline-bridge node: Unknown option: '--no-such-option'");
    // And a good command line runs the daemon: its banner names the address it bound, and that
    // address serves the node's query API until the command is stopped.
    PipedInputStream banner = new PipedInputStream(1 << 16);
    PrintStream out = new PrintStream(new PipedOutputStream(banner), true, StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CountDownLatch stop = new CountDownLatch(1);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new String[] {"node", "--listen", "127.0.0.1:0"},
                    Map.<String, String>of()::get,
                    out,
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    stop));
    try {
      String first =
          new BufferedReader(new InputStreamReader(banner, StandardCharsets.UTF_8)).readLine();
      assertThat(first).startsWith("threadline node: listening on http://127.0.0.1:");
      String base = first.substring(first.indexOf("http://"));
      HttpResponse<String> traces =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/traces")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(traces.statusCode()).isEqualTo(200);
      assertThat(traces.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    } finally {
      stop.countDown();
    }
    assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void runsUntilStoppedWhenTheKernelSideWorks() {
    EbpfRequirement.requireEbpf();
    Run run = cli("trace", "--port", "1");
    assertThat(run.code()).isZero();
    assertThat(run.err()).contains("tracing all processes but this one, ports [1]");
  }
}
