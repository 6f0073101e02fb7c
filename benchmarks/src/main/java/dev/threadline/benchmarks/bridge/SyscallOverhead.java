package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.loader.AttachedObject;
import dev.threadline.bridge.loader.NativeLibraries;
import dev.threadline.bridge.ringbuf.MappedRingReader;
import dev.threadline.bridge.ringbuf.RingBufferConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the kernel bridge adds to each traced syscall: a keep-alive HTTP exchange over loopback TCP
 * inside this process (request write and read, response write and read: four syscalls), timed with
 * the programs detached and attached.
 *
 * <p>Why a harness and not JMH: JMH runs each configuration in its own fork, one after the other,
 * and on a shared or virtual machine the speed of a syscall drifts by more than the difference
 * being measured between forks minutes apart. Here every round times each configuration detached
 * and attached back to back (alternating which comes first), and the result is the median of those
 * paired differences.
 *
 * <p>Configurations, measured in the same run:
 *
 * <ul>
 *   <li>{@code bridge}: the whole bridge, programs, ring buffer and the consumer thread decoding,
 *       parsing and pairing into S spans (on the other core), tracing this process and the
 *       exchange's port;
 *   <li>{@code minimal tracer, socket tracepoints}: programs that only take a timestamp and copy
 *       the first payload bytes into a ring-buffer record (drained by a thread like the bridge's),
 *       the least any tracer must do per call to deliver what S spans need;
 *   <li>{@code counting programs, socket tracepoints}: the same tracepoints with programs that only
 *       count their calls (in a per-CPU map, checked to move only while attached) and return at
 *       once, the floor any tracer on them pays;
 *   <li>{@code counting programs, syscall tracepoints}: the same counting programs on
 *       syscalls:sys_enter_/sys_exit_ of the eight data syscalls, the floor of the
 *       syscall-tracepoint design (the bridge's previous one, and DeepFlow's).
 * </ul>
 *
 * <p>After the timed rounds, each configuration runs again with the kernel timing its programs
 * ({@link ProgramRunTime}): the programs' own time per traced syscall, apart from what the consumer
 * and the syscall pay around them.
 *
 * <p>{@code java -cp benchmarks.jar dev.threadline.benchmarks.bridge.SyscallOverhead [rounds]
 * [exchanges] [reference object directory]}; needs root (or CAP_BPF + CAP_PERFMON, and tracefs for
 * the last configuration).
 */
public final class SyscallOverhead {
  private static final int SYSCALLS_PER_EXCHANGE = 4;
  private static final int WARMUP_ROUNDS = 2;
  private static final int PROGRAM_TIME_ROUNDS = 11;

  private SyscallOverhead() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
    int exchanges = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    Path references = Path.of(args.length > 2 ? args[2] : "sdk-ebpf-bridge/src/test/resources/bpf");
    try (LoopbackHttp http = new LoopbackHttp()) {
      List<Variant> variants = new ArrayList<>();
      List<Map<Integer, String>> programs = new ArrayList<>();
      try {
        add(variants, programs, () -> BridgeVariant.plain(http.port()));
        add(variants, programs, () -> BridgeVariant.stamped(http.port()));
        add(variants, programs, () -> minimal(references.resolve("reference_minimal.bpf.o")));
        add(
            variants,
            programs,
            () ->
                new CountingVariant(
                    "counting programs, socket tracepoints",
                    references.resolve("reference_socket.bpf.o"),
                    (long) exchanges * SYSCALLS_PER_EXCHANGE));
        Tracefs.mountIfMissing();
        add(
            variants,
            programs,
            () ->
                new CountingVariant(
                    "counting programs, syscall tracepoints",
                    references.resolve("reference_syscalls.bpf.o"),
                    (long) exchanges * SYSCALLS_PER_EXCHANGE));
        run(http, variants, rounds, exchanges);
        programTime(http, variants, programs, Math.min(rounds, PROGRAM_TIME_ROUNDS), exchanges);
        for (Variant v : variants) {
          v.verify();
        }
      } finally {
        variants.forEach(Variant::close);
      }
    }
  }

  private interface VariantFactory {
    Variant make() throws Exception;
  }

  /** Makes a configuration and notes which BPF programs it loaded. */
  private static void add(
      List<Variant> variants, List<Map<Integer, String>> programs, VariantFactory factory)
      throws Exception {
    Map<Integer, String> before = ProgramRunTime.programs();
    variants.add(factory.make());
    Map<Integer, String> loaded = ProgramRunTime.openedSince(before);
    if (loaded.isEmpty()) {
      throw new IllegalStateException(
          variants.get(variants.size() - 1).name() + " loaded no program");
    }
    programs.add(loaded);
  }

  /**
   * After the timed rounds: each configuration attached again with the kernel timing its programs,
   * reported per traced syscall of the exchange (runs of other processes' syscalls included).
   */
  private static void programTime(
      LoopbackHttp http,
      List<Variant> variants,
      List<Map<Integer, String>> programs,
      int rounds,
      int exchanges)
      throws Exception {
    int n = variants.size();
    double syscalls = (double) exchanges * SYSCALLS_PER_EXCHANGE;
    double[][] nanos = new double[n][rounds];
    double[][] runs = new double[n][rounds];
    try (ProgramRunTime stats = ProgramRunTime.enable()) {
      for (int round = -1; round < rounds; round++) {
        for (int k = 0; k < n; k++) {
          int i = Math.floorMod(round + k, n);
          long[] before = ProgramRunTime.totals(programs.get(i));
          variants.get(i).attach();
          time(http, exchanges);
          variants.get(i).detach();
          long[] after = ProgramRunTime.totals(programs.get(i));
          if (round >= 0) {
            nanos[i][round] = (after[0] - before[0]) / syscalls;
            runs[i][round] = (after[1] - before[1]) / syscalls;
          }
        }
      }
    }
    System.out.printf(
        "%nBPF program time (kernel.bpf_stats_enabled), %d rounds of %d exchanges%n",
        rounds, exchanges);
    System.out.printf(
        "%-38s %12s %12s %20s%n", "per traced syscall", "runs", "ns", "ns p25 .. p75");
    for (int i = 0; i < n; i++) {
      if (median(runs[i]) < 1) {
        throw new IllegalStateException(
            variants.get(i).name() + " ran " + median(runs[i]) + " times per traced syscall");
      }
      System.out.printf(
          "%-38s %12.2f %12.0f %10.0f .. %-8.0f%n",
          variants.get(i).name(),
          median(runs[i]),
          median(nanos[i]),
          percentile(nanos[i], 25),
          percentile(nanos[i], 75));
    }
  }

  private static void run(LoopbackHttp http, List<Variant> variants, int rounds, int exchanges)
      throws Exception {
    int n = variants.size();
    double[][] detached = new double[n][rounds];
    double[][] attached = new double[n][rounds];
    for (Variant v : variants) {
      v.detach();
    }
    for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
      for (int k = 0; k < n; k++) {
        int i =
            Math.floorMod(round + k, n); // rotate the order, so no configuration always runs first
        Variant v = variants.get(i);
        boolean attachedFirst = (round & 1) == 0;
        double first;
        double second;
        if (attachedFirst) {
          v.attach();
        }
        first = time(http, exchanges);
        if (attachedFirst) {
          v.detach();
        } else {
          v.attach();
        }
        second = time(http, exchanges);
        v.detach();
        if (round >= 0) {
          attached[i][round] = attachedFirst ? first : second;
          detached[i][round] = attachedFirst ? second : first;
        }
      }
    }
    System.out.printf(
        "%d rounds of %d exchanges (%d syscalls) per timing, %d CPUs, Linux %s, Java %s%n",
        rounds,
        exchanges,
        exchanges * SYSCALLS_PER_EXCHANGE,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.version"),
        System.getProperty("java.version"));
    System.out.printf(
        "%-38s %12s %12s %14s %20s%n",
        "ns per syscall", "detached", "attached", "added", "added p25 .. p75");
    for (int i = 0; i < n; i++) {
      double[] added = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        added[r] = attached[i][r] - detached[i][r];
      }
      System.out.printf(
          "%-38s %12.0f %12.0f %14.0f %10.0f .. %-8.0f%n",
          variants.get(i).name(),
          median(detached[i]),
          median(attached[i]),
          median(added),
          percentile(added, 25),
          percentile(added, 75));
    }
  }

  private static double time(LoopbackHttp http, int exchanges) throws Exception {
    long sink = 0;
    long start = System.nanoTime();
    for (int i = 0; i < exchanges; i++) {
      sink += http.exchange();
    }
    long elapsed = System.nanoTime() - start;
    if (sink != (long) exchanges * http.bytesPerExchange()) {
      throw new IllegalStateException("short exchange");
    }
    return (double) elapsed / exchanges / SYSCALLS_PER_EXCHANGE;
  }

  /**
   * Timestamp and payload into a ring record, nothing else; its ring is drained as the bridge's is.
   */
  private static Variant minimal(Path object) throws Exception {
    AttachedObject programs = AttachedObject.load(Files.readAllBytes(object));
    LongAdder records = new LongAdder();
    RingBufferConsumer consumer =
        RingBufferConsumer.start(
            sink ->
                new MappedRingReader(
                    NativeLibraries.libC(), programs.mapFd("events"), 16 * 1024 * 1024, sink),
            record -> records.increment());
    return attached(
        "minimal tracer, socket tracepoints",
        programs,
        consumer,
        () -> {
          consumer.close();
          if (records.sum() == 0) {
            throw new IllegalStateException("the minimal tracer wrote no record");
          }
        });
  }

  /** A reference object as a configuration; {@code reader} is closed before the programs. */
  private static Variant attached(
      String name, AttachedObject programs, AutoCloseable reader, Runnable verify) {
    return new Variant() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void attach() throws Exception {
        programs.attach();
      }

      @Override
      public void detach() {
        programs.detach();
      }

      @Override
      public void verify() {
        verify.run();
      }

      @Override
      public void close() {
        try {
          reader.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
        programs.close();
      }
    };
  }

  private static double median(double[] values) {
    return percentile(values, 50);
  }

  private static double percentile(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.round((sorted.length - 1) * p / 100.0)];
  }

  /** Per-syscall tracepoints are found through tracefs, which a fresh machine does not mount. */
  private static final class Tracefs {
    static void mountIfMissing() throws Exception {
      Path tracefs = Path.of("/sys/kernel/tracing");
      if (Files.isDirectory(tracefs.resolve("events/syscalls"))) {
        return;
      }
      Process mount =
          new ProcessBuilder("mount", "-t", "tracefs", "nodev", tracefs.toString())
              .inheritIO()
              .start();
      if (mount.waitFor() != 0) {
        throw new IllegalStateException(
            "the syscall-tracepoint reference needs tracefs at " + tracefs);
      }
    }
  }
}
