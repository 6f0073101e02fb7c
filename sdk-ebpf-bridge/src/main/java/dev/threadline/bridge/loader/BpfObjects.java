package dev.threadline.bridge.loader;

import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Opening and loading a BPF ELF image through libbpf, with failures turned into one-line {@link
 * BridgeUnavailableException}s (a verifier rejection names the program and the verifier's reason;
 * the full log goes to a temp file).
 */
final class BpfObjects {
  /** Keeps the print callback reachable: libbpf holds only a raw function pointer to it. */
  private static LibbpfLog installedLog;

  private BpfObjects() {}

  /** Routes libbpf's log into a fresh {@link LibbpfLog} instead of stderr. */
  static synchronized LibbpfLog captureLog(LibBpf bpf, LibC libc) {
    installedLog = new LibbpfLog(libc);
    bpf.libbpf_set_print(installedLog);
    return installedLog;
  }

  /** Copies {@code elf} to native memory that must stay reachable until load has finished. */
  static Pointer image(LibBpf bpf, byte[] elf) {
    Pointer image = Memory.allocateDirect(Runtime.getRuntime(bpf), elf.length);
    image.put(0, elf, 0, elf.length);
    return image;
  }

  static Pointer open(LibBpf bpf, LibC libc, LibbpfLog log, Pointer image, long size)
      throws BridgeUnavailableException {
    Pointer object = bpf.bpf_object__open_mem(image, size, null);
    if (object == null) {
      int errno = LastError.getLastError(Runtime.getRuntime(bpf));
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "libbpf cannot open the BPF object ("
              + libc.strerror(errno)
              + ": "
              + log.lastLine()
              + ")");
    }
    return object;
  }

  static void load(LibBpf bpf, LibC libc, LibbpfLog log, Pointer object)
      throws BridgeUnavailableException {
    log.clear();
    int rc = bpf.bpf_object__load(object);
    if (rc != 0) {
      throw loadFailure(log, libc, -rc);
    }
  }

  /** Opens, loads and closes {@code elf}: whether this kernel accepts it, and if not why. */
  static void checkLoads(byte[] elf) throws BridgeUnavailableException {
    LibBpf bpf = NativeLibraries.libBpf();
    LibC libc = NativeLibraries.libC();
    LibbpfLog log = captureLog(bpf, libc);
    Pointer image = image(bpf, elf);
    Pointer object = open(bpf, libc, log, image, elf.length);
    try {
      load(bpf, libc, log, object);
    } finally {
      java.lang.ref.Reference.reachabilityFence(image);
      bpf.bpf_object__close(object);
    }
  }

  private static BridgeUnavailableException loadFailure(LibbpfLog log, LibC libc, int errno) {
    Path dump = log.dump();
    String where = dump == null ? "" : " (full libbpf log: " + dump + ")";
    String tracepoint = log.missingAttachTarget();
    if (tracepoint != null) {
      return new BridgeUnavailableException(
          FailureReason.UNSUPPORTED_KERNEL,
          "this kernel has no tracepoint "
              + tracepoint
              + " (with BTF); the bridge needs Linux 6.3 or newer"
              + " for its socket tracepoints (6.5+ to count sendfile)"
              + where);
    }
    if (log.mentionsVerifier()) {
      return new BridgeUnavailableException(
          FailureReason.VERIFIER_REJECTED,
          "the kernel verifier rejected "
              + log.verifierSummary()
              + where
              + "; this kernel is not supported yet, please report it with that log");
    }
    if (errno == 1) { // EPERM: lockdown, seccomp or a user namespace without BPF rights.
      return new BridgeUnavailableException(
          FailureReason.NO_PRIVILEGE,
          "the kernel refused to load BPF programs ("
              + libc.strerror(errno)
              + ": "
              + log.lastLine()
              + "); run as root on the host (not in a user namespace) and check kernel lockdown"
              + where);
    }
    return new BridgeUnavailableException(
        FailureReason.LOAD_FAILED,
        "loading the BPF object failed ("
            + libc.strerror(errno)
            + ": "
            + log.lastLine()
            + ")"
            + where);
  }
}
