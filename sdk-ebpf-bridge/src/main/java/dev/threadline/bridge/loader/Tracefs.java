package dev.threadline.bridge.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;

/**
 * libbpf resolves a tracepoint's perf event id through tracefs; when tracefs is not mounted
 * (the default on a fresh machine) every attach fails with "failed to determine tracepoint
 * ... perf event ID". This mounts it when we may, or says exactly what is missing.
 */
public final class Tracefs {
    /** Where libbpf 1.x looks first. */
    public static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    /** libbpf's fallback when debugfs is mounted (tracefs automounts below it). */
    public static final Path DEBUGFS_TRACING = Path.of("/sys/kernel/debug/tracing");

    private Tracefs() {}

    /** True when libbpf will find the syscall tracepoints. */
    public static boolean available() {
        return Files.isDirectory(TRACEFS.resolve("events/syscalls"))
                || Files.isDirectory(DEBUGFS_TRACING.resolve("events/syscalls"));
    }

    /** Mounts tracefs at /sys/kernel/tracing unless it is already usable. */
    public static void ensureMounted() throws BridgeUnavailableException {
        if (available()) {
            return;
        }
        if (!Files.isDirectory(TRACEFS)) {
            throw new BridgeUnavailableException(FailureReason.NO_TRACEFS,
                    TRACEFS + " does not exist; this kernel lacks CONFIG_TRACING/tracefs,"
                            + " which syscall tracepoints need");
        }
        LibC libc = NativeLibraries.libC();
        int rc = libc.mount("nodev", TRACEFS.toString(), "tracefs", 0L, null);
        if (rc != 0) {
            int errno = LastError.getLastError(Runtime.getRuntime(libc));
            throw new BridgeUnavailableException(FailureReason.NO_TRACEFS,
                    "tracefs is not mounted at " + TRACEFS + " and mounting it failed ("
                            + libc.strerror(errno) + "); run `mount -t tracefs nodev " + TRACEFS
                            + "` as root (or give the bridge CAP_SYS_ADMIN)");
        }
        if (!available()) {
            throw new BridgeUnavailableException(FailureReason.NO_TRACEFS,
                    "tracefs mounted at " + TRACEFS + " but has no events/syscalls; the kernel"
                            + " needs CONFIG_FTRACE_SYSCALLS for syscall tracepoints");
        }
    }
}
