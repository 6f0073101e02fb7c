package dev.threadline.bridge.node;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A python3 script from this package's test resources, run in its own process (so that the node,
 * which does not trace its own JVM, traces it) under its own OpenTelemetry service name. The script
 * prints one JSON value per line and stays alive until its stdin closes, so that the spans the node
 * makes of its sockets are still named after it while the test reads them.
 */
final class PythonProcess implements AutoCloseable {
  private final Process process;
  private final Path stderr;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final OutputStream stdin;
  private final List<JsonObject> read = new ArrayList<>();

  private PythonProcess(Process process, Path stderr) {
    this.process = process;
    this.stderr = stderr;
    this.stdin = process.getOutputStream();
    Thread reader = new Thread(() -> pump(process.getInputStream()), "python-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code script} (a resource next to this class) with one argument. */
  static PythonProcess start(Path python, String script, String argument, String serviceName)
      throws IOException {
    String source;
    try (InputStream in = PythonProcess.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IOException("no test resource " + script);
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path stderr = Files.createTempFile("threadline-python-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(python.toString(), "-c", source, argument)
            .redirectError(stderr.toFile());
    builder.environment().put("OTEL_SERVICE_NAME", serviceName);
    return new PythonProcess(builder.start(), stderr);
  }

  private void pump(InputStream out) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the process is gone: what it printed is in the queue
    }
  }

  int pid() {
    return (int) process.pid();
  }

  /** The next line printed, parsed; fails with the script's stderr after {@code timeout}. */
  JsonObject next(Duration timeout) {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError("python printed nothing within " + timeout + ": " + errors());
      }
      JsonObject value = JsonParser.parseString(line).getAsJsonObject();
      read.add(value);
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every response printed (also those {@link #next} already returned) up to the final {@code
   * {"done": n}} line, which must count them.
   */
  List<JsonObject> responses(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (read.isEmpty() || !read.get(read.size() - 1).has("done")) {
      next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
    List<JsonObject> responses = read.subList(0, read.size() - 1);
    JsonObject done = read.get(read.size() - 1);
    if (done.get("done").getAsInt() != responses.size()) {
      throw new AssertionError("python counted " + done + " after " + responses + errors());
    }
    return List.copyOf(responses);
  }

  /** Sends one line to the script (a looping client stops on it). */
  void tell(String line) {
    try {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String errors() {
    try {
      return process.isAlive()
          ? Files.readString(stderr)
          : "exited " + process.exitValue() + ": " + Files.readString(stderr);
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  /** Closes its stdin (the script's cue to exit), then waits for it, killing it if it lingers. */
  @Override
  public void close() throws IOException {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stderr);
  }
}
