package dev.threadline.bridge.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.ThreadStamp;
import dev.threadline.bridge.loader.ThreadContextRegions;
import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import dev.threadline.bridge.testing.RawEvents;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thread churn against the real kernel: 100,000 short-lived threads of another JVM publish their
 * context and each write one line; the BPF program stamps every write. No write made outside a span
 * carries a stamp (a dead thread's slot, or a reused tid, is never trusted), every stamp names
 * exactly the span its own line names, and the region never grows.
 */
class ThreadChurnTest {
  private static final int THREADS = 100_000;

  @TempDir Path regionDir;

  @BeforeAll
  static void requireKernel() {
    EbpfRequirement.requireEbpf();
  }

  @Test
  void noStaleStampAcrossAHundredThousandShortLivedThreads() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = server.getLocalPort();
      Process app =
          new ProcessBuilder(
                  Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  ThreadChurnApp.class.getName(),
                  Integer.toString(port),
                  Integer.toString(THREADS),
                  "8",
                  regionDir.toString())
              .redirectErrorStream(true)
              .start();
      BufferedReader appOut =
          new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
      try {
        assertThat(appOut.readLine()).isEqualTo("ready");
        int pid = (int) app.pid();
        TraceConfig config = new TraceConfig(256, Set.of(pid), Set.of(port), -1);
        try (RawEvents events = new RawEvents(config)) {
          ThreadContextRegions regions =
              ThreadContextRegions.forProgram(events.program(), List.of(regionDir));
          regions.scan();
          assertThat(regions.registeredPids()).as("the app's region is registered").contains(pid);
          Path region = region(pid);
          long size = Files.size(region);

          app.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
          app.getOutputStream().flush();
          CompletableFuture<Long> received = drain(server);
          assertThat(received.get(5, TimeUnit.MINUTES))
              .as("lines the test read")
              .isEqualTo(THREADS + 1);
          List<SocketEvent> writes =
              events.await(
                  e ->
                      e.type() == EventType.DATA
                          && e.pid() == pid
                          && e.direction() == Direction.EGRESS,
                  THREADS + 1,
                  Duration.ofSeconds(60));
          assertThat(writes).as("one send event per line").hasSize(THREADS + 1);
          assertThat(appOut.readLine()).as("claims and full").endsWith(" full 0");
          assertThat(Files.size(region)).as("the region never grows").isEqualTo(size);
          app.getOutputStream().write("exit\n".getBytes(StandardCharsets.US_ASCII));
          app.getOutputStream().flush();

          long stamped = 0;
          for (SocketEvent write : writes) {
            String line = new String(write.payload(), StandardCharsets.US_ASCII);
            ThreadStamp stamp = write.stamp();
            if (line.startsWith("S ")) {
              String[] ids = line.trim().split(" ");
              assertThat(ids[2]).as("a real span").isNotEqualTo("0000000000000000");
              if (stamp != null) {
                stamped++;
                assertThat(stamp.traceId()).as(line).isEqualTo(ids[1]);
                assertThat(stamp.spanId()).as(line).isEqualTo(ids[2]);
              }
            } else {
              assertThat(stamp).as("a write outside any span: " + line.trim()).isNull();
            }
          }
          assertThat(stamped).as("writes inside a span that were stamped").isEqualTo(THREADS / 2);
        }
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(region(pid)).as("the region is removed with its process").doesNotExist();
      } finally {
        app.destroyForcibly();
      }
    }
  }

  private Path region(int pid) {
    return regionDir.resolve("threadline-ctx." + pid);
  }

  /** Accepts the app's connection and counts its lines until END, on another thread. */
  private static CompletableFuture<Long> drain(ServerSocket server) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket socket = server.accept();
              InputStream in = socket.getInputStream()) {
            long lines = 0;
            byte[] buffer = new byte[65536];
            StringBuilder tail = new StringBuilder();
            for (int n; (n = in.read(buffer)) > 0; ) {
              for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                  lines++;
                  if (tail.toString().equals("END")) {
                    return lines;
                  }
                  tail.setLength(0);
                } else {
                  tail.append((char) buffer[i]);
                }
              }
            }
            return lines;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
