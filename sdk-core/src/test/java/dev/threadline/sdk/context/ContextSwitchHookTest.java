package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The context-switch hook. OpenTelemetry's storage wrapper is JVM-global and only takes effect if
 * added before the storage is first used, and surefire runs every sdk-core test class in one JVM in
 * no fixed order. So each scenario runs here when this class could install the hook (it was the
 * first to touch the context), and otherwise in a fresh JVM on the same classpath; the result is
 * the same whatever ran before.
 */
class ContextSwitchHookTest {

  // Attempted as early as this class allows: when it is initialized, before any of its tests runs.
  private static final boolean INSTALLED_HERE = ContextSwitchHook.install();

  @Test
  void nestedScopesReportAttachAndRestoreInOrder() throws Exception {
    runScenario("nestedScopesReportAttachAndRestoreInOrder");
  }

  @Test
  void removedListenerIsNotCalled() throws Exception {
    runScenario("removedListenerIsNotCalled");
  }

  @Test
  void throwingListenerDoesNotBreakMakeCurrent() throws Exception {
    runScenario("throwingListenerDoesNotBreakMakeCurrent");
  }

  @Test
  void noListenerMeansTheDelegateScope() throws Exception {
    runScenario("noListenerMeansTheDelegateScope");
  }

  @Test
  void workerThreadSwitchesAreReported() throws Exception {
    runScenario("workerThreadSwitchesAreReported");
  }

  @Test
  void installIsIdempotent() throws Exception {
    runScenario("installIsIdempotent");
  }

  @Test
  void installAfterTheContextWasUsedReturnsFalse() throws Exception {
    // Needs a JVM whose storage was used before install(): always forked.
    runForked(HookScenarioMain.TOO_LATE);
  }

  @Test
  void hookWorksInAFreshJvmWhateverRanBefore() throws Exception {
    // Always forked, so the path taken when this JVM could not install the hook is exercised in
    // every run.
    runForked("nestedScopesReportAttachAndRestoreInOrder");
    runForked("workerThreadSwitchesAreReported");
  }

  @Test
  void installReportsTheSameOutcomeEveryTime() {
    assertThat(ContextSwitchHook.install()).isEqualTo(INSTALLED_HERE);
    assertThat(ContextSwitchHook.isInstalled()).isEqualTo(INSTALLED_HERE);
  }

  private static void runScenario(String name) throws Exception {
    if (INSTALLED_HERE) {
      HookScenarios.run(name);
    } else {
      runForked(name);
    }
  }

  private static void runForked(String scenario) throws IOException, InterruptedException {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Path output = Files.createTempFile("threadline-hook-" + scenario, ".log");
    try {
      Process process =
          new ProcessBuilder(
                  java.toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  HookScenarioMain.class.getName(),
                  scenario)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("forked scenario " + scenario + " timed out");
      }
      String log = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as("forked scenario %s failed:%n%s", scenario, log).isZero();
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
