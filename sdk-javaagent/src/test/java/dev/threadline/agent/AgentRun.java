package dev.threadline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.testing.OtlpCollector;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a scenario in a forked JVM with {@code -javaagent:threadline-agent.jar}, exporting to a test
 * collector.
 */
public final class AgentRun {
  private final String output;
  private final List<Span> spans;

  private AgentRun(String output, List<Span> spans) {
    this.output = output;
    this.spans = spans;
  }

  public static Path agentJar() {
    Path jar = Paths.get(System.getProperty("threadline.agent.jar", "target/threadline-agent.jar"));
    assertThat(jar).as("the agent jar is built by `mvn package` before integration tests").exists();
    return jar;
  }

  /**
   * Runs the scenario class {@code scenario} (a {@code main} beside the IT that uses it) and waits
   * for at least {@code expectedSpans} spans.
   */
  public static AgentRun scenario(Class<?> scenario, int expectedSpans, Map<String, String> env)
      throws Exception {
    return scenario(agentJar(), scenario, expectedSpans, env, javaBin());
  }

  /** The same with another agent jar (a damaged copy, in the failure tests). */
  public static AgentRun scenario(
      Path agentJar, Class<?> scenario, int expectedSpans, Map<String, String> env)
      throws Exception {
    return scenario(agentJar, scenario, expectedSpans, env, javaBin());
  }

  /** The scenario {@code scenario} without the agent: what the application does on its own. */
  public static AgentRun withoutAgent(Class<?> scenario) throws Exception {
    return scenario(null, scenario, 0, Map.of(), javaBin());
  }

  /**
   * As {@link #scenario(Class, int, Map)}, in a JVM started with the {@code java} executable {@code
   * java}.
   */
  public static AgentRun scenario(
      Class<?> scenario, int expectedSpans, Map<String, String> env, String java) throws Exception {
    return scenario(agentJar(), scenario, expectedSpans, env, java);
  }

  private static AgentRun scenario(
      Path agentJar, Class<?> scenario, int expectedSpans, Map<String, String> env, String java)
      throws Exception {
    String classpath =
        System.getProperty("threadline.scenario.classes", "target/test-classes")
            + File.pathSeparator
            + Files.readString(
                    Paths.get(
                        System.getProperty(
                            "threadline.scenario.classpath", "target/scenario-classpath.txt")))
                .trim();
    List<String> command = new ArrayList<>(List.of(java));
    if (agentJar != null) {
      command.add("-javaagent:" + agentJar);
    }
    command.addAll(List.of("-cp", classpath, scenario.getName()));
    try (OtlpCollector collector = OtlpCollector.start()) {
      ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
      File log = File.createTempFile("scenario-" + scenario.getSimpleName(), ".log");
      log.deleteOnExit();
      process.redirectOutput(log);
      Map<String, String> environment = process.environment();
      environment
          .keySet()
          .removeIf(key -> key.startsWith("OTEL_") || key.startsWith("THREADLINE_"));
      environment.put("OTEL_SERVICE_NAME", "scenario-" + scenario.getSimpleName());
      environment.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.baseUrl());
      environment.put("OTEL_BSP_SCHEDULE_DELAY", "100");
      environment.putAll(env);
      Process app = process.start();
      boolean exited = app.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        app.destroyForcibly();
      }
      String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
      assertThat(exited).as("scenario exits in time:\n" + output).isTrue();
      assertThat(app.exitValue()).as(output).isZero();
      assertThat(output).contains("scenario done");
      List<Span> spans = collector.awaitSpans(expectedSpans, Duration.ofSeconds(10));
      return new AgentRun(output, spans);
    }
  }

  static String javaBin() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String output() {
    return output;
  }

  public List<Span> spans() {
    return spans;
  }

  /** The traceparent the target server printed for {@code path}. */
  public String traceparentReceived(String path) {
    for (String line : output.split("\n")) {
      if (line.startsWith("received " + path + " traceparent=")) {
        return line.substring(line.indexOf('=') + 1).trim();
      }
    }
    throw new AssertionError("the server did not print a request for " + path + ":\n" + output);
  }

  public static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  public static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue()
            ? Long.toString(kv.getValue().getIntValue())
            : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  static String read(Path path) throws IOException {
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
