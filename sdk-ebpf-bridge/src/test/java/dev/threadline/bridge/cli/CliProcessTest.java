package dev.threadline.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.threadline.bridge.testing.EbpfRequirement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The CLI as a separate process: JSON lines on success, one line and exit code 3 on failure. */
class CliProcessTest {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private static final String CLASSPATH = System.getProperty("java.class.path");

  @Test
  void printsOneJsonObjectPerSpanUntilInterrupted() throws Exception {
    EbpfRequirement.requireEbpf();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/",
        x -> {
          x.sendResponseHeaders(200, 2);
          x.getResponseBody().write("hi".getBytes(StandardCharsets.US_ASCII));
          x.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    Process cli =
        new ProcessBuilder(
                JAVA,
                "-cp",
                CLASSPATH,
                Main.class.getName(),
                "trace",
                "--port",
                Integer.toString(port))
            .start();
    try {
      BufferedReader err =
          new BufferedReader(new InputStreamReader(cli.getErrorStream(), StandardCharsets.UTF_8));
      String banner = err.readLine();
      assertThat(banner)
          .as("CLI banner")
          .isNotNull()
          .contains("tracing all processes but this one");
      // The CLI excludes only itself: this JVM's client and server are both traced.
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cli")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("hi");
      BufferedReader out =
          new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      lines.add(out.readLine());
      lines.add(out.readLine());
      assertThat(lines)
          .allSatisfy(
              l ->
                  assertThat(l)
                      .startsWith("{\"kind\":\"")
                      .contains("\"path\":\"/cli\"")
                      .contains("\"status\":200")
                      .endsWith("}"));
      assertThat(String.join("\n", lines))
          .contains("\"kind\":\"s-p\"")
          .contains("\"kind\":\"c-p\"");
    } finally {
      // SIGTERM, as Ctrl-C or a service manager sends it: the shutdown hook detaches and flushes.
      // (Not Process.destroy(), which closes our end of stderr.)
      new ProcessBuilder("kill", "-TERM", Long.toString(cli.pid())).start().waitFor();
      assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
      server.stop(0);
    }
    assertThat(cli.exitValue()).isIn(0, 143);
    assertThat(new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .as("nothing after the banner: no stack trace on the way out")
        .isEmpty();
  }

  @Test
  void aFullRingIsReportedWhileTracingAndAtTheEnd() throws Exception {
    EbpfRequirement.requireEbpf();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      // The smallest ring (4 KiB holds a few records) and a burst far faster than any reader.
      Process cli =
          new ProcessBuilder(
                  JAVA,
                  "-cp",
                  CLASSPATH,
                  Main.class.getName(),
                  "trace",
                  "--ring-size",
                  "4KiB",
                  "--port",
                  Integer.toString(port))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      BufferedReader err =
          new BufferedReader(new InputStreamReader(cli.getErrorStream(), StandardCharsets.UTF_8));
      try {
        assertThat(err.readLine()).contains("tracing");
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port);
            Socket accepted = server.accept()) {
          byte[] chunk = new byte[64];
          InputStream in = accepted.getInputStream();
          String report = null;
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
          // Keep the burst going until the CLI reports the loss while it runs (every 5 s).
          while (report == null && System.nanoTime() < deadline) {
            for (int i = 0; i < 20_000; i++) {
              client.getOutputStream().write(chunk);
              in.readNBytes(chunk.length);
            }
            if (err.ready()) {
              report = err.readLine();
            }
          }
          assertThat(report)
              .as("a report while tracing")
              .matches(
                  "threadline-bridge: [1-9][0-9]* events lost so far \\(ring buffer full\\);"
                      + " payload cut to keep the events: [0-9]+ to a head, [1-9][0-9]* to none");
        }
        new ProcessBuilder("kill", "-TERM", Long.toString(cli.pid())).start().waitFor();
        assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
        List<String> rest = err.lines().toList();
        assertThat(rest)
            .as("the final count, with no stack trace")
            .last()
            .asString()
            .matches(
                "threadline-bridge: [1-9][0-9]* events lost \\(ring buffer full\\);"
                    + " payload cut to keep the events: [0-9]+ to a head, [1-9][0-9]* to none");
      } finally {
        cli.destroyForcibly();
      }
    }
  }

  @Test
  void aRingSizeThatIsNotAPowerOfTwoIsAUsageError() throws Exception {
    Result r = run(JAVA, "-cp", CLASSPATH, Main.class.getName(), "trace", "--ring-size", "5000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.stderr())
        .first()
        .asString()
        .startsWith("threadline-bridge trace: ")
        .contains("power of two");
  }

  @Test
  void withoutCapabilitiesPrintsOneLineAndExits() throws Exception {
    EbpfRequirement.requireEbpf(); // needs root to drop capabilities with setpriv
    Path setpriv = EbpfRequirement.requireExecutable("setpriv", "util-linux");
    Result r =
        run(
            setpriv.toString(),
            "--bounding-set",
            "-bpf,-perfmon,-sys_admin",
            "--inh-caps",
            "-all",
            JAVA,
            "-cp",
            CLASSPATH,
            Main.class.getName(),
            "trace");
    assertThat(r.code).isEqualTo(3);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0))
        .startsWith("threadline-bridge: no privilege: ")
        .contains("CAP_BPF+CAP_PERFMON");
  }

  @Test
  void tracesWithCapBpfAndCapPerfmonAloneAndWithoutTracefs() throws Exception {
    EbpfRequirement.requireEbpf(); // needs root to drop CAP_SYS_ADMIN with setpriv
    Path setpriv = EbpfRequirement.requireExecutable("setpriv", "util-linux");
    Path unshare = EbpfRequirement.requireExecutable("unshare", "util-linux");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext(
        "/",
        x -> {
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    server.start();
    int port = server.getAddress().getPort();
    // A private mount namespace without tracefs (at either of its places), then the CLI without
    // CAP_SYS_ADMIN: the programs attach by BTF, so neither is needed. The host's mounts are
    // untouched. unshare, sh and setpriv exec in turn: the process is the CLI's JVM.
    Process cli =
        new ProcessBuilder(
                unshare.toString(),
                "--mount",
                "--propagation",
                "private",
                "/bin/sh",
                "-c",
                "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing"
                    + " 2>/dev/null; exec \"$@\"",
                "sh",
                setpriv.toString(),
                "--bounding-set",
                "-sys_admin",
                "--inh-caps",
                "-all",
                JAVA,
                "-cp",
                CLASSPATH,
                Main.class.getName(),
                "trace",
                "--port",
                Integer.toString(port))
            .start();
    try {
      BufferedReader err =
          new BufferedReader(new InputStreamReader(cli.getErrorStream(), StandardCharsets.UTF_8));
      assertThat(err.readLine())
          .as("CLI banner")
          .isNotNull()
          .contains("tracing all processes but this one");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/least-privilege"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      BufferedReader out =
          new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine())
          .contains("\"path\":\"/least-privilege\"")
          .contains("\"status\":204");
      // What the tracing process had: no tracefs mounted, no CAP_SYS_ADMIN (bit 21) in effect.
      Path proc = Path.of("/proc", Long.toString(cli.pid()));
      assertThat(Files.readString(proc.resolve("cmdline"))).contains(Main.class.getName());
      assertThat(Files.readAllLines(proc.resolve("mountinfo")))
          .isNotEmpty()
          .noneMatch(line -> line.contains(" - tracefs "))
          .noneMatch(line -> line.contains("/sys/kernel/tracing"));
      long capEff =
          Files.readAllLines(proc.resolve("status")).stream()
              .filter(line -> line.startsWith("CapEff:"))
              .map(line -> Long.parseUnsignedLong(line.substring(7).trim(), 16))
              .findFirst()
              .orElseThrow();
      assertThat(capEff & (1L << 21)).as("CAP_SYS_ADMIN in CapEff %x", capEff).isZero();
      assertThat(capEff & (1L << 39)).as("CAP_BPF in CapEff %x", capEff).isNotZero();
    } finally {
      cli.destroy();
      assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
      server.stop(0);
    }
  }

  @Test
  void withoutLibbpfPrintsOneLineAndExits() throws Exception {
    EbpfRequirement.requireEbpf();
    Result r =
        run(
            JAVA,
            "-Dthreadline.libbpf=/nonexistent/libbpf.so.1",
            "-cp",
            CLASSPATH,
            Main.class.getName(),
            "trace");
    assertThat(r.code).isEqualTo(3);
    assertThat(r.stderr).hasSize(1);
    assertThat(r.stderr.get(0))
        .startsWith("threadline-bridge: libbpf missing: cannot load /nonexistent/libbpf.so.1")
        .contains("apt-get install libbpf1");
  }

  private static Result run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(stdout).isEmpty();
    return new Result(p.exitValue(), stderr.lines().toList());
  }

  private record Result(int code, List<String> stderr) {}
}
