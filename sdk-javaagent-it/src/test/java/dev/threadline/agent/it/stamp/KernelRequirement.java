package dev.threadline.agent.it.stamp;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the thread-context ITs need: root (the bridge loads BPF programs), a kernel with BTF, and
 * {@code setpriv} to run the application without privileges. Missing, they skip with one line, or
 * fail when {@code THREADLINE_REQUIRE_EBPF=1} (CI), as the bridge's own kernel tests do.
 */
final class KernelRequirement {
  private KernelRequirement() {}

  static void require() {
    if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
      missing("no BTF (/sys/kernel/btf/vmlinux)");
    }
    if (!isRoot()) {
      missing("not root: the bridge needs CAP_BPF and CAP_PERFMON to load its programs");
    }
    if (!Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
      missing("setpriv is not installed (apt-get install util-linux)");
    }
  }

  /**
   * JDK 25 (virtual threads) for the application: THREADLINE_JDK25_HOME, or Temurin's usual path.
   * Missing, the test skips with one line, or fails when THREADLINE_REQUIRE_JDK25=1 (CI).
   */
  static String jdk25() {
    String home =
        System.getenv().getOrDefault("THREADLINE_JDK25_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64");
    if (!Files.isExecutable(Path.of(home, "bin", "java"))) {
      String why =
          "no JDK 25 at "
              + home
              + ": install a JDK 21 or newer (Temurin 25 is the tested one) and point"
              + " THREADLINE_JDK25_HOME at it";
      if ("1".equals(System.getenv("THREADLINE_REQUIRE_JDK25"))) {
        fail("THREADLINE_REQUIRE_JDK25=1 but " + why);
      }
      abort("skipped: " + why);
    }
    return home;
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void missing(String why) {
    if ("1".equals(System.getenv("THREADLINE_REQUIRE_EBPF"))) {
      fail("THREADLINE_REQUIRE_EBPF=1 but " + why);
    }
    abort("skipped: " + why);
  }
}
