package dev.threadline.agent.instrumentation.executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.threadline.agent.AgentRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The hand-off matrix and the leak checks. Each matrix runs every pattern in one JVM with the agent
 * (one test per pattern, all reading that run): on the JDK running the build (17), and on JDK 25
 * with the virtual-thread patterns too; {@code Thread.start} and {@code Timer} rows in both, with
 * the default settings. The leak check runs with the defaults as well ({@code thread-start} on).
 */
class ExecutorsIT {
  private static final String JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

  @TestFactory
  Stream<DynamicTest> handOffMatrixOnTheBuildJdk() throws Exception {
    AgentRun run =
        AgentRun.scenario(
            HandoffScenario.class, HandoffMatrix.JDK17_SERVER_SPANS * 2 - 1, Map.of());
    HandoffMatrix matrix = new HandoffMatrix(run);
    List<DynamicTest> tests = new ArrayList<>();
    for (String pattern : HandoffMatrix.PROPAGATED) {
      tests.add(
          dynamicTest(
              pattern + " keeps the request's trace", () -> matrix.assertPropagated(pattern)));
    }
    for (String pattern : HandoffMatrix.NOT_PROPAGATED) {
      tests.add(
          dynamicTest(
              pattern + " does not carry the request", () -> matrix.assertNotPropagated(pattern)));
    }
    tests.add(
        dynamicTest(
            "hooks see their own Runnable, no double wrapping, parallel stream reached a worker",
            matrix::assertScenarioChecks));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> handOffMatrixOnJdk25WithVirtualThreads() throws Exception {
    Path java =
        Paths.get(System.getenv().getOrDefault("THREADLINE_JDK25_HOME", JDK25), "bin", "java");
    if (!Files.isExecutable(java)) {
      String missing =
          "no JDK 25 at "
              + java
              + ": install a JDK 21 or newer (Temurin 25 is the tested one) and point"
              + " THREADLINE_JDK25_HOME at it";
      if ("1".equals(System.getenv("THREADLINE_REQUIRE_JDK25"))) {
        fail("THREADLINE_REQUIRE_JDK25=1 but " + missing);
      }
      Assumptions.abort("virtual-thread hand-offs skipped: " + missing);
    }
    int spans = (HandoffMatrix.JDK17_SERVER_SPANS + 2) * 2 - 1;
    AgentRun run = AgentRun.scenario(HandoffScenario.class, spans, Map.of(), java.toString());
    HandoffMatrix matrix = new HandoffMatrix(run);
    List<DynamicTest> tests = new ArrayList<>();
    for (String pattern : List.of("vthread-start", "vthread-executor")) {
      tests.add(
          dynamicTest(
              pattern + " keeps the request's trace", () -> matrix.assertPropagated(pattern)));
    }
    for (String pattern : HandoffMatrix.PROPAGATED) {
      tests.add(
          dynamicTest(
              pattern + " keeps the request's trace", () -> matrix.assertPropagated(pattern)));
    }
    for (String pattern : HandoffMatrix.NOT_PROPAGATED) {
      tests.add(
          dynamicTest(
              pattern + " does not carry the request", () -> matrix.assertNotPropagated(pattern)));
    }
    tests.add(
        dynamicTest(
            "hooks see their own Runnable, no double wrapping, parallel stream reached a worker",
            matrix::assertScenarioChecks));
    return tests.stream();
  }

  @Test
  void afterTenThousandTasksWorkersAreAtTheRootAndContextsAreCollectable() throws Exception {
    AgentRun run = AgentRun.scenario(LeakScenario.class, 0, Map.of("OTEL_TRACES_EXPORTER", "none"));
    assertThat(run.output())
        .contains("leak ran-in-context=10000 ")
        .contains("leak workers-at-root=true main-at-root=true")
        .contains("leak collected=100/100")
        .contains("leak cancelled-collected=true")
        .contains("leak pending-retained=true pending-tasks=1");
  }

  @Test
  void aCompletableFutureStageForgetsItsContextOnceItHasRun() throws Exception {
    // No collector runs (Epsilon), so no weak key is cleared: only the agent's own forgetting
    // counts.
    AgentRun run =
        AgentRun.scenario(
            CompletionScenario.class,
            0,
            Map.of(
                "OTEL_TRACES_EXPORTER", "none",
                "JAVA_TOOL_OPTIONS", "-XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx2g"));
    int stages = CompletionScenario.REQUESTS * 15;
    assertThat(run.output())
        .contains("completion ran-in-context=" + stages + "/" + stages)
        .as("only the stages that never ran still hold a context")
        .contains(
            "completion pending-added="
                + CompletionScenario.REQUESTS
                + " never-fired="
                + CompletionScenario.REQUESTS);
  }
}
