package dev.threadline.agent.it.stamp;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The bridge's {@code trace} command as a user runs it ({@code java -jar threadline-bridge.jar
 * trace --port N}, as root), its JSON lines collected as they come.
 */
final class BridgeTrace implements AutoCloseable {
  private final Process process;
  private final File stderr;
  private final List<JsonObject> spans = new ArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);

  private BridgeTrace(Process process, File stderr) {
    this.process = process;
    this.stderr = stderr;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  JsonObject span = JsonParser.parseString(line).getAsJsonObject();
                  synchronized (spans) {
                    spans.add(span);
                    spans.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                ended.countDown();
              }
            },
            "bridge-trace-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts tracing the sockets on {@code port}; returns once the programs are attached. */
  static BridgeTrace start(int port) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    File stderr = File.createTempFile("bridge-trace", ".log");
    stderr.deleteOnExit();
    Process process =
        new ProcessBuilder(
                java,
                "-jar",
                System.getProperty("threadline.bridge.jar"),
                "trace",
                "--port",
                Integer.toString(port))
            .redirectError(stderr)
            .start();
    BridgeTrace trace = new BridgeTrace(process, stderr);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!trace.log().contains("threadline-bridge: tracing")) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the bridge did not start tracing:\n" + trace.log());
      }
      Thread.sleep(50);
    }
    return trace;
  }

  /** What the bridge wrote on stderr. */
  String log() throws IOException {
    return Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
  }

  /** Waits until {@code count} spans match, then returns every match; fails after the timeout. */
  List<JsonObject> await(Predicate<JsonObject> match, int count, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (spans) {
      while (true) {
        List<JsonObject> found = spans.stream().filter(match).toList();
        if (found.size() >= count) {
          return found;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "only " + found.size() + " of " + count + " S spans arrived:\n" + log());
        }
        spans.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    ended.await(10, TimeUnit.SECONDS);
  }
}
