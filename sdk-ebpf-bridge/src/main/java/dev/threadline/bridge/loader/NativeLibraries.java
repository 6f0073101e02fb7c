package dev.threadline.bridge.loader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LibraryLoader;

/**
 * Loads libbpf and libc once. libbpf is looked up by its soname (libbpf.so.1), because the runtime
 * package (libbpf1) ships no unversioned libbpf.so symlink; the system property {@code
 * threadline.libbpf} overrides the path.
 */
public final class NativeLibraries {
  private static final List<String> SEARCH_DIRS =
      List.of(
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/lib64",
          "/lib");

  private static volatile LibBpf libBpf;
  private static volatile LibC libC;

  private NativeLibraries() {}

  /** libbpf, or {@link FailureReason#LIBBPF_MISSING} with the path that was tried. */
  public static synchronized LibBpf libBpf() throws BridgeUnavailableException {
    if (libBpf == null) {
      libBpf = loadLibBpf(System.getProperty("threadline.libbpf", locate("libbpf.so.1")));
    }
    return libBpf;
  }

  /** Loads libbpf from {@code location}, uncached (the lookup {@link #libBpf()} makes once). */
  static LibBpf loadLibBpf(String location) throws BridgeUnavailableException {
    try {
      return LibraryLoader.create(LibBpf.class).failImmediately().load(location);
    } catch (LinkageError | RuntimeException e) {
      throw new BridgeUnavailableException(
          FailureReason.LIBBPF_MISSING,
          "cannot load "
              + location
              + " ("
              + firstLine(e)
              + "); install libbpf 1.x"
              + " (Debian/Ubuntu: apt-get install libbpf1)",
          e);
    }
  }

  /** libc; it is always present on Linux, so failure here means an unsupported platform. */
  public static synchronized LibC libC() throws BridgeUnavailableException {
    if (libC == null) {
      try {
        libC = LibraryLoader.create(LibC.class).failImmediately().load("c");
      } catch (LinkageError | RuntimeException e) {
        throw new BridgeUnavailableException(
            FailureReason.UNSUPPORTED_PLATFORM,
            "cannot load libc (" + firstLine(e) + "); the bridge runs on Linux only",
            e);
      }
    }
    return libC;
  }

  private static String locate(String soname) {
    for (String dir : SEARCH_DIRS) {
      Path candidate = Path.of(dir, soname);
      if (Files.exists(candidate)) {
        return candidate.toString();
      }
    }
    return soname;
  }

  static String firstLine(Throwable e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
