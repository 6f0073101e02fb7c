package dev.threadline.bridge.loader;

/** Why the kernel side could not start; each value maps to one thing the operator can fix. */
public enum FailureReason {
  /** libbpf.so.1 could not be loaded. */
  LIBBPF_MISSING,
  /** Neither root nor CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN). */
  NO_PRIVILEGE,
  /** The kernel exposes no BTF, so CO-RE relocations cannot be resolved. */
  NO_BTF,
  /** The kernel lacks a tracepoint the programs attach to (socket tracepoints need Linux 6.3+). */
  UNSUPPORTED_KERNEL,
  /** The kernel verifier rejected a program. */
  VERIFIER_REJECTED,
  /** Opening or loading the object failed for another reason. */
  LOAD_FAILED,
  /** A program loaded but could not be attached to its tracepoint. */
  ATTACH_FAILED,
  /** Not Linux, or an architecture the committed object was not built for. */
  UNSUPPORTED_PLATFORM
}
