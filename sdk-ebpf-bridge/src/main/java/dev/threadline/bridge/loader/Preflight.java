package dev.threadline.bridge.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks that can be made before touching the kernel, so that the common problems end in one
 * precise line instead of a libbpf error code: platform, privileges, BTF.
 */
public final class Preflight {
  static final int CAP_SYS_ADMIN = 21;
  static final int CAP_PERFMON = 38;
  static final int CAP_BPF = 39;

  private final Path procStatus;
  private final Path btf;

  /** Checks against the real /proc/self/status and /sys/kernel/btf/vmlinux. */
  public Preflight() {
    this(Path.of("/proc/self/status"), Path.of("/sys/kernel/btf/vmlinux"));
  }

  /** Checks against other files (tests point these at fakes to exercise each failure). */
  public Preflight(Path procStatus, Path btf) {
    this.procStatus = procStatus;
    this.btf = btf;
  }

  /** Throws with the first problem found; returns normally when loading may proceed. */
  public void check() throws BridgeUnavailableException {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      throw new BridgeUnavailableException(
          FailureReason.UNSUPPORTED_PLATFORM,
          "eBPF needs Linux, this is " + System.getProperty("os.name"));
    }
    String arch = System.getProperty("os.arch", "");
    if (!arch.equals("amd64") && !arch.equals("x86_64")) {
      // The committed object is compiled with __TARGET_ARCH_x86; other arches need build.sh there.
      throw new BridgeUnavailableException(
          FailureReason.UNSUPPORTED_PLATFORM,
          "the committed BPF object is built for x86_64, this JVM runs on "
              + arch
              + "; regenerate it on that architecture with src/main/bpf/build.sh");
    }
    checkPrivileges();
    if (!Files.isReadable(btf)) {
      throw new BridgeUnavailableException(
          FailureReason.NO_BTF,
          "kernel BTF not found at "
              + btf
              + "; CO-RE needs a kernel built with"
              + " CONFIG_DEBUG_INFO_BTF=y (most distribution kernels since 5.8)");
    }
  }

  private void checkPrivileges() throws BridgeUnavailableException {
    long caps;
    try {
      caps = effectiveCapabilities();
    } catch (IOException | RuntimeException e) {
      throw new BridgeUnavailableException(
          FailureReason.NO_PRIVILEGE,
          "cannot read capabilities from " + procStatus + " (" + e.getMessage() + ")",
          e);
    }
    boolean admin = has(caps, CAP_SYS_ADMIN);
    boolean bpfAndPerfmon = has(caps, CAP_BPF) && has(caps, CAP_PERFMON);
    if (!admin && !bpfAndPerfmon) {
      throw new BridgeUnavailableException(
          FailureReason.NO_PRIVILEGE,
          "this process (uid "
              + uid()
              + ") lacks CAP_BPF+CAP_PERFMON and CAP_SYS_ADMIN;"
              + " run the bridge as root or grant it cap_bpf,cap_perfmon"
              + " (e.g. setcap, or docker --cap-add BPF --cap-add PERFMON)");
    }
  }

  long effectiveCapabilities() throws IOException {
    for (String line : Files.readAllLines(procStatus)) {
      if (line.startsWith("CapEff:")) {
        return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
      }
    }
    throw new IOException("no CapEff line");
  }

  private String uid() {
    try {
      for (String line : Files.readAllLines(procStatus)) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).trim().split("\\s+")[1];
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // Only decorates the message.
    }
    return "?";
  }

  private static boolean has(long caps, int bit) {
    return (caps & (1L << bit)) != 0;
  }
}
