package dev.threadline.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.AgentRun;
import dev.threadline.sdk.testing.OtlpCollector;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's export queue is bounded and counts what it drops: with a collector that accepts
 * connections and never answers, an application making thousands of spans is not slowed down, the
 * queue holds no more than {@code OTEL_BSP_MAX_QUEUE_SIZE}, and every span that found no room is
 * counted in {@code threadline.spans.dropped}, read from the agent's Prometheus endpoint.
 */
class ExportQueueIT {
  private static final int CALLS = 5_000;
  private static final int QUEUE = 16;
  private static final int BATCH = 8;
  private static final Pattern CALLS_DONE =
      Pattern.compile("calls done (\\d+) total_ms=(\\d+) slowest_ms=(\\d+)");

  @Test
  void aHangingCollectorNeitherBlocksTheApplicationNorGrowsTheQueue() throws Exception {
    int metricsPort = freePort();
    try (OtlpCollector collector = OtlpCollector.start().hang()) {
      File log = File.createTempFile("scenario-export-queue", ".log");
      log.deleteOnExit();
      ProcessBuilder builder =
          new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log);
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(key -> key.startsWith("OTEL_") || key.startsWith("THREADLINE_"));
      env.put("OTEL_SERVICE_NAME", "scenario-export-queue");
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl());
      env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
      env.put("OTEL_BSP_MAX_QUEUE_SIZE", Integer.toString(QUEUE));
      env.put("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", Integer.toString(BATCH));
      // Longer than the test: the first export stays in flight, none fails and frees its batch.
      env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "120000");
      env.put("OTEL_BSP_EXPORT_TIMEOUT", "120000");
      env.put("THREADLINE_METRICS_PROMETHEUS_PORT", Integer.toString(metricsPort));
      Process app = builder.start();
      try {
        Matcher done = awaitLine(app, log, CALLS_DONE, Duration.ofSeconds(60));
        assertThat(Integer.parseInt(done.group(1))).isEqualTo(CALLS);
        // Not blocked: no statement waited on the collector (an export blocks for its timeout,
        // 120 s); the whole run takes seconds even on a loaded machine.
        assertThat(Long.parseLong(done.group(3))).as(read(log)).isLessThan(5_000);
        assertThat(Long.parseLong(done.group(2))).as(read(log)).isLessThan(45_000);

        String metrics = scrape(metricsPort);
        long dropped = meter(metrics, "threadline_spans_dropped_total");
        long queued = meter(metrics, "threadline_spans_queued");
        assertThat(meter(metrics, "threadline_spans_queue_capacity")).isEqualTo(QUEUE);
        assertThat(queued).as(metrics).isBetween(0L, (long) QUEUE);
        // The collector never answered: nothing exported, nothing failed yet (the one export in
        // flight holds at most one batch).
        assertThat(meter(metrics, "threadline_spans_exported_total")).isZero();
        assertThat(meter(metrics, "threadline_spans_export_failed_total")).isZero();
        assertThat(collector.requests()).isEmpty();
        // Every span is accounted for: dropped, waiting, or in the one batch being exported.
        assertThat(dropped + queued).as(metrics).isBetween((long) CALLS - BATCH, (long) CALLS);
        assertThat(dropped).as(metrics).isGreaterThanOrEqualTo((long) CALLS - QUEUE - BATCH);
      } finally {
        app.destroyForcibly();
        app.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> command() throws Exception {
    String classpath =
        System.getProperty("threadline.scenario.classes", "target/test-classes")
            + File.pathSeparator
            + Files.readString(
                    Paths.get(
                        System.getProperty(
                            "threadline.scenario.classpath", "target/scenario-classpath.txt")))
                .trim();
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        java,
        "-javaagent:" + AgentRun.agentJar(),
        "-cp",
        classpath,
        ExportQueueScenario.class.getName(),
        Integer.toString(CALLS));
  }

  private static Matcher awaitLine(Process app, File log, Pattern line, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher matcher = line.matcher(read(log));
      if (matcher.find()) {
        return matcher;
      }
      assertThat(app.isAlive()).as("the scenario is running:\n" + read(log)).isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("the scenario did not finish its calls in time:\n" + read(log));
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The value of the un-tagged sample {@code name} in Prometheus text format. */
  private static long meter(String metrics, String name) {
    Matcher sample =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$")
            .matcher(metrics);
    assertThat(sample.find()).as("meter %s in:\n%s", name, metrics).isTrue();
    return (long) Double.parseDouble(sample.group(1));
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(File log) throws Exception {
    return Files.readString(log.toPath(), StandardCharsets.UTF_8);
  }
}
