package dev.threadline.bridge.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import dev.threadline.bridge.loader.NativeLibraries;
import dev.threadline.bridge.loader.Preflight;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place that decides what happens when a test needs something this machine lacks
 * (kernel/privileges/libbpf for eBPF, or a program such as nginx): normally the test is skipped
 * with one line saying what is missing, but with {@code THREADLINE_REQUIRE_EBPF=1} (set by CI) it
 * fails, so CI can never go green by silently skipping the kernel tests.
 */
public final class EbpfRequirement {
  /** Environment variable that turns "skip" into "fail". */
  public static final String REQUIRE_ENV = "THREADLINE_REQUIRE_EBPF";

  private EbpfRequirement() {}

  /** Root (or CAP_BPF+CAP_PERFMON), BTF and libbpf.so.1 must be present. */
  public static void requireEbpf() {
    try {
      new Preflight().check();
      NativeLibraries.libBpf();
    } catch (BridgeUnavailableException e) {
      missing(e.oneLine());
    }
  }

  /** An executable that the test runs, e.g. nginx or curl, must be installed. */
  public static Path requireExecutable(String name, String debianPackage) {
    for (String dir :
        new String[] {
          "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"
        }) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    missing(name + " is not installed (apt-get install " + debianPackage + ")");
    return null; // not reached
  }

  /** Skips, or fails under CI, with {@code why} as the single line of explanation. */
  public static void missing(String why) {
    missing(why, required());
  }

  static void missing(String why, boolean required) {
    if (required) {
      fail(REQUIRE_ENV + "=1 but " + why);
    }
    abort("skipped: " + why);
  }

  static boolean required() {
    return "1".equals(System.getenv(REQUIRE_ENV));
  }
}
