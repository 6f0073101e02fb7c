package dev.threadline.bridge.loader;

import dev.threadline.sdk.context.ThreadContextLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the thread-context regions of traced JVMs and keeps the BPF program's {@code ctx_regions}
 * map in step with them (src/main/bpf/thread_context.h).
 *
 * <p>A publishing process announces itself by its region file, {@code threadline-ctx.<pid>} in
 * {@code /dev/shm} (or another directory it was configured with). Each {@link #scan()} lists those
 * directories; for a process not yet registered it checks the file's header (the magic is written
 * last, so a region being set up is simply found on a later scan), finds where that process mapped
 * the file in {@code /proc/<pid>/maps}, and registers it. A registered process is forgotten when it
 * exits (its {@code /proc/<pid>} start time changes or vanishes) or its file is gone. So the bridge
 * finds apps started before it and after it, and the pid of an exited app is never stamped for
 * another.
 *
 * <p>Not thread-safe: one thread (the tracer's discovery thread) calls {@link #scan()}.
 */
public final class ThreadContextRegions {
  private static final Logger logger = Logger.getLogger("dev.threadline.bridge");

  /** Where the BPF side learns about regions; {@link SocketTraceProgram} in production. */
  public interface Registry {
    boolean register(int tgid, long base, int slotCount);

    void forget(int tgid);
  }

  /** A region as registered: what identifies its process, to notice a reused pid. */
  private record Registered(String processStart, long base, int slotCount) {}

  private final Registry registry;
  private final List<Path> directories;
  private final Map<Integer, Registered> registered = new HashMap<>();
  private boolean fullLogged;

  /**
   * @param directories where processes create their region files ({@code /dev/shm} by default)
   */
  public ThreadContextRegions(Registry registry, List<Path> directories) {
    this.registry = registry;
    this.directories = List.copyOf(directories);
  }

  /** Discovery that registers what it finds with {@code program}'s {@code ctx_regions} map. */
  public static ThreadContextRegions forProgram(
      SocketTraceProgram program, List<Path> directories) {
    return new ThreadContextRegions(
        new Registry() {
          @Override
          public boolean register(int tgid, long base, int slotCount) {
            return program.registerContextRegion(tgid, base, slotCount);
          }

          @Override
          public void forget(int tgid) {
            program.forgetContextRegion(tgid);
          }
        },
        directories);
  }

  /** The tgids registered now. */
  public synchronized Set<Integer> registeredPids() {
    return Set.copyOf(registered.keySet());
  }

  /** One pass: registers new regions, forgets those of exited processes. */
  public synchronized void scan() {
    Map<Integer, Path> present = new HashMap<>();
    for (Path dir : directories) {
      try (DirectoryStream<Path> files =
          Files.newDirectoryStream(dir, ThreadContextLayout.FILE_PREFIX + "*")) {
        for (Path file : files) {
          Integer pid = pidOf(file);
          if (pid != null) {
            present.putIfAbsent(pid, file);
          }
        }
      } catch (IOException e) {
        // No such directory (yet): nothing announced there.
      }
    }
    registered
        .entrySet()
        .removeIf(
            entry -> {
              int pid = entry.getKey();
              if (present.containsKey(pid)
                  && entry.getValue().processStart().equals(processStart(pid))) {
                return false;
              }
              registry.forget(pid);
              return true;
            });
    for (Map.Entry<Integer, Path> entry : present.entrySet()) {
      int pid = entry.getKey();
      if (!registered.containsKey(pid)) {
        tryRegister(pid, entry.getValue());
      }
    }
  }

  /** Forgets every region (tracing stops). */
  public synchronized void clear() {
    registered.keySet().forEach(registry::forget);
    registered.clear();
  }

  private void tryRegister(int pid, Path file) {
    String start = processStart(pid);
    if (start == null) {
      return; // a stale file of an exited process
    }
    int slotCount = readHeader(file, pid);
    if (slotCount <= 0) {
      return; // not ready yet, or not a region of this version
    }
    long base = mappedAt(pid, file);
    if (base == 0) {
      return; // the process has not mapped it (yet), or it is another process's stale file
    }
    if (registry.register(pid, base, slotCount)) {
      registered.put(pid, new Registered(start, base, slotCount));
    } else if (!fullLogged) {
      fullLogged = true;
      logger.warning(
          "threadline-bridge: cannot register the thread-context region of pid "
              + pid
              + " (too many processes); its events carry no span");
    }
  }

  private static Integer pidOf(Path file) {
    String name = file.getFileName().toString();
    try {
      int pid = Integer.parseInt(name.substring(ThreadContextLayout.FILE_PREFIX.length()));
      return pid > 0 ? pid : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The slot count of a complete region header for {@code pid}, or -1. */
  static int readHeader(Path file, int pid) {
    ByteBuffer header =
        ByteBuffer.allocate(ThreadContextLayout.HEADER_SIZE).order(ByteOrder.nativeOrder());
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (header.hasRemaining() && channel.read(header, header.position()) > 0) {}
    } catch (IOException e) {
      return -1;
    }
    if (header.hasRemaining()
        || header.getLong(ThreadContextLayout.HEADER_MAGIC) != ThreadContextLayout.MAGIC
        || header.getInt(ThreadContextLayout.HEADER_VERSION) != ThreadContextLayout.VERSION
        || header.getInt(ThreadContextLayout.HEADER_SLOT_SIZE) != ThreadContextLayout.SLOT_SIZE
        || header.getInt(ThreadContextLayout.HEADER_TGID) != pid) {
      return -1;
    }
    int slots = header.getInt(ThreadContextLayout.HEADER_SLOT_COUNT);
    boolean powerOfTwo = slots > 0 && (slots & (slots - 1)) == 0;
    return powerOfTwo && slots <= ThreadContextLayout.MAX_SLOTS ? slots : -1;
  }

  /** Start address of {@code file}'s first mapping in {@code pid}, or 0. */
  static long mappedAt(int pid, Path file) {
    String path = file.toAbsolutePath().normalize().toString();
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
        // start-end perms offset dev inode path
        if (line.endsWith(" " + path) || line.endsWith(" " + path + " (deleted)")) {
          String[] fields = line.split("\\s+", 6);
          if (fields.length == 6 && Long.parseLong(fields[2], 16) == 0) {
            return Long.parseUnsignedLong(fields[0].substring(0, fields[0].indexOf('-')), 16);
          }
        }
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | RuntimeException e) {
      logger.log(Level.FINE, "cannot read the maps of pid " + pid, e);
    }
    return 0;
  }

  /** Field 22 of /proc/<pid>/stat (start time), which tells a reused pid apart; null when gone. */
  static String processStart(int pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return fields[19];
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
