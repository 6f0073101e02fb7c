package dev.threadline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.agent.instrumentation.httpurlconnection.HttpUrlConnectionScenario;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent that cannot start must leave the application running, with one line saying why. */
class AgentStartupFailureIT {

  @Test
  void applicationRunsWithoutTracingWhenTheAgentCannotStart(@TempDir Path dir) throws Exception {
    Path damaged = dir.resolve("threadline-agent.jar");
    copyWithout(AgentRun.agentJar(), damaged, "inst/dev/threadline/agent/AgentInstaller.classdata");

    AgentRun run = AgentRun.scenario(damaged, HttpUrlConnectionScenario.class, 0, Map.of());

    assertThat(run.output())
        .contains("[threadline] the agent could not start; the application runs without tracing")
        .contains("status /ok 200", "scenario done");
    assertThat(run.output().lines().filter(line -> line.contains("[threadline]"))).hasSize(1);
    assertThat(run.spans()).isEmpty();
  }

  private static void copyWithout(Path source, Path target, String removed) throws Exception {
    try (JarFile in = new JarFile(source.toFile());
        OutputStream file = Files.newOutputStream(target);
        JarOutputStream out = new JarOutputStream(file, in.getManifest())) {
      Enumeration<JarEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().equals(removed) || entry.getName().equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        out.putNextEntry(new JarEntry(entry.getName()));
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    }
  }
}
