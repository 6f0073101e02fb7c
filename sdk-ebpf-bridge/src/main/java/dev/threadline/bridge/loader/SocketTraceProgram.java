package dev.threadline.bridge.loader;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The committed socket_trace.bpf.o, loaded into the kernel and attached to its socket and scheduler
 * tracepoints (BTF-typed raw tracepoints: no tracefs, no perf events). Close it to detach
 * everything; the kernel frees the programs and maps when the last reference goes away, so a
 * crashed JVM leaves nothing behind either.
 */
public final class SocketTraceProgram implements AutoCloseable {
  /** Classpath location of the object built by src/main/bpf/build.sh. */
  public static final String OBJECT_RESOURCE = "/bpf/socket_trace.bpf.o";

  private static final int PID_MODE_ALL_BUT_SELF = 0;
  private static final int PID_MODE_LISTED = 1;

  /** enum tl_reduction in socket_trace.h: entries of the per-CPU `reduced` map. */
  static final int REDUCED_HEAD = 0;

  static final int REDUCED_NONE = 1;

  /** TL_PRESSURE_HEAD_CAPTURE in socket_trace.h: the payload kept above half the ring. */
  public static final int PRESSURE_HEAD_CAPTURE = 256;

  /** TL_PORT_BITMAP_WORDS in socket_trace.h: one bit per TCP port. */
  static final int PORT_BITMAP_WORDS = 1024;

  private final LibBpf bpf;
  private final Runtime runtime;
  private final Pointer object;
  private final ProgramLinks links;
  private final int eventsFd;
  private final int lostFd;
  private final int reducedFd;
  private final int ctxRegionsFd;
  private final PidBitmap pids;
  private final int ringBufferBytes;
  private boolean closed;
  private long lostAtClose;
  private PayloadReductions reducedAtClose;

  private SocketTraceProgram(
      LibBpf bpf,
      LibC libc,
      LibbpfLog log,
      Pointer object,
      int eventsFd,
      int lostFd,
      int reducedFd,
      int ctxRegionsFd,
      PidBitmap pids,
      int ringBufferBytes) {
    this.ringBufferBytes = ringBufferBytes;
    this.bpf = bpf;
    this.links = new ProgramLinks(bpf, libc, log, object);
    this.runtime = Runtime.getRuntime(bpf);
    this.object = object;
    this.eventsFd = eventsFd;
    this.lostFd = lostFd;
    this.reducedFd = reducedFd;
    this.ctxRegionsFd = ctxRegionsFd;
    this.pids = pids;
  }

  /**
   * Preflight, open, load, configure, attach. Any failure is reported as one {@link
   * BridgeUnavailableException}; nothing is left loaded in that case.
   */
  public static SocketTraceProgram load(TraceConfig config) throws BridgeUnavailableException {
    try {
      return loadChecked(config);
    } catch (RuntimeException | LinkageError e) {
      // Whatever jnr or libbpf throws, the host JVM carries on without kernel spans.
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "unexpected error while loading (" + NativeLibraries.firstLine(e) + ")",
          e);
    }
  }

  private static SocketTraceProgram loadChecked(TraceConfig config)
      throws BridgeUnavailableException {
    new Preflight().check();
    LibBpf bpf = NativeLibraries.libBpf();
    LibC libc = NativeLibraries.libC();
    LibbpfLog log = BpfObjects.captureLog(bpf, libc);
    byte[] elf = readObject();
    Pointer image = BpfObjects.image(bpf, elf);
    Pointer object = BpfObjects.open(bpf, libc, log, image, elf.length);
    PidBitmap pids = null;
    SocketTraceProgram program = null;
    boolean ok = false;
    try {
      bpf.bpf_map__set_max_entries(requireMap(bpf, object, "events"), config.ringBufferBytes());
      BpfObjects.load(bpf, libc, log, object);
      pids = new PidBitmap(libc, bpf.bpf_map__fd(requireMap(bpf, object, "pids")));
      program =
          new SocketTraceProgram(
              bpf,
              libc,
              log,
              object,
              bpf.bpf_map__fd(requireMap(bpf, object, "events")),
              bpf.bpf_map__fd(requireMap(bpf, object, "lost")),
              bpf.bpf_map__fd(requireMap(bpf, object, "reduced")),
              bpf.bpf_map__fd(requireMap(bpf, object, "ctx_regions")),
              pids,
              config.ringBufferBytes());
      program.configure(
          config,
          bpf.bpf_map__fd(requireMap(bpf, object, "config")),
          bpf.bpf_map__fd(requireMap(bpf, object, "ports")));
      program.attach();
      program.addPidsAndDescendants(config);
      ok = true;
      return program;
    } finally {
      // libbpf reads the ELF image until load has finished.
      java.lang.ref.Reference.reachabilityFence(image);
      if (!ok) {
        if (program != null) {
          program.detach();
        }
        if (pids != null) {
          pids.close();
        }
        bpf.bpf_object__close(object);
      }
    }
  }

  private void configure(TraceConfig config, int configFd, int portsFd)
      throws BridgeUnavailableException {
    Pointer key = u32(0);
    // struct tl_config in socket_trace.h.
    Pointer value = Memory.allocateDirect(runtime, 32);
    value.putInt(0, config.captureBytes());
    value.putInt(4, config.pids().isEmpty() ? PID_MODE_ALL_BUT_SELF : PID_MODE_LISTED);
    value.putInt(8, config.selfPid());
    value.putInt(12, config.ports().isEmpty() ? 0 : 1);
    value.putInt(
        16, config.ringBufferBytes() / 8); // wake the reader when an eighth of the ring is pending
    // Shed payload before events: a head only above half the ring, nothing above 85%.
    value.putInt(20, config.ringBufferBytes() / 2);
    value.putInt(24, (int) (config.ringBufferBytes() * 85L / 100));
    value.putInt(28, 0);
    addPidsAndDescendants(config);
    long[] portWords = new long[PORT_BITMAP_WORDS];
    for (int port : config.ports()) {
      portWords[port >>> 6] |= 1L << (port & 63);
    }
    Pointer word = Memory.allocateDirect(runtime, 8);
    for (int i = 0; i < portWords.length; i++) {
      if (portWords[i] != 0) {
        word.putLong(0, portWords[i]);
        update(portsFd, u32(i), word, "ports");
      }
    }
    // Written before any program is attached: none ever runs with an all-zero config.
    update(configFd, key, value, "config");
  }

  /**
   * Listed pids and the children they already have (nginx workers of a listed master); later
   * children are added in the kernel by the task_newtask program. Called again after attaching, for
   * a child forked in between.
   */
  private void addPidsAndDescendants(TraceConfig config) {
    for (int pid : config.pids()) {
      addPid(pid);
      for (ProcessHandle child :
          ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
        addPid((int) child.pid());
      }
    }
  }

  /**
   * Tells the BPF program where process {@code tgid} mapped its thread-context region
   * (thread_context.h), so that its threads' sends and receives carry their current span. Returns
   * false when the map is full ({@code TL_CTX_MAX_PROCESSES}) or the program is closed.
   */
  public synchronized boolean registerContextRegion(int tgid, long base, int slotCount) {
    if (closed) {
      return false;
    }
    // struct tl_ctx_region in socket_trace.h.
    Pointer value = Memory.allocateDirect(runtime, 16);
    value.putLong(0, base);
    value.putInt(8, slotCount);
    value.putInt(12, 0);
    return bpf.bpf_map_update_elem(ctxRegionsFd, u32(tgid), value, 0) == 0;
  }

  /** Forgets the region of process {@code tgid} (it exited, or its region is gone). */
  public synchronized void forgetContextRegion(int tgid) {
    if (!closed) {
      bpf.bpf_map_delete_elem(ctxRegionsFd, u32(tgid));
    }
  }

  /** Adds a tgid to the listed-pids filter (effective only when the config listed pids). */
  public void addPid(int pid) {
    pids.add(pid);
  }

  /**
   * Whether a tgid is in the listed-pids filter: listed, a descendant of a listed process, and not
   * exited.
   */
  public boolean tracesPid(int pid) {
    return pids.contains(pid);
  }

  /** File descriptor of the ring buffer map, for the ring reader. */
  public int eventsMapFd() {
    return eventsFd;
  }

  /** Size of the ring buffer's data area (the map's max_entries). */
  public int ringBufferBytes() {
    return ringBufferBytes;
  }

  /** Events the BPF side dropped because the ring buffer was full (final count once closed). */
  public synchronized long lostEvents() {
    if (closed) {
      return lostAtClose;
    }
    Pointer value = Memory.allocateDirect(runtime, 8);
    if (bpf.bpf_map_lookup_elem(lostFd, u32(0), value) != 0) {
      return -1;
    }
    return value.getLong(0);
  }

  /**
   * How often the BPF side captured less payload than asked because the ring buffer was filling up
   * (final counts once closed); -1 for a count that cannot be read.
   */
  public synchronized PayloadReductions payloadReductions() {
    if (closed) {
      return reducedAtClose;
    }
    return new PayloadReductions(
        PerCpuCounters.sum(bpf, reducedFd, REDUCED_HEAD),
        PerCpuCounters.sum(bpf, reducedFd, REDUCED_NONE));
  }

  /** The libbpf binding this program was loaded with. */
  public LibBpf libBpf() {
    return bpf;
  }

  /**
   * Detaches every program (no new events); maps, ring buffer included, stay readable until {@link
   * #close()}.
   */
  public synchronized void detach() {
    links.detach();
  }

  /**
   * Attaches the programs again after {@link #detach()} (done by {@link #load}); nothing when
   * attached.
   */
  public synchronized void attach() throws BridgeUnavailableException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    links.attach();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    lostAtClose = lostEvents();
    reducedAtClose = payloadReductions();
    closed = true;
    detach();
    pids.close();
    bpf.bpf_object__close(object);
  }

  private void update(int fd, Pointer key, Pointer value, String map)
      throws BridgeUnavailableException {
    if (bpf.bpf_map_update_elem(fd, key, value, 0) != 0) {
      int errno = LastError.getLastError(runtime);
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED, "cannot update map " + map + " (errno " + errno + ")");
    }
  }

  private Pointer u32(int v) {
    Pointer p = Memory.allocateDirect(runtime, 4);
    p.putInt(0, v);
    return p;
  }

  private static Pointer requireMap(LibBpf bpf, Pointer object, String name)
      throws BridgeUnavailableException {
    Pointer map = bpf.bpf_object__find_map_by_name(object, name);
    if (map == null) {
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED,
          "the BPF object has no map '" + name + "'; rebuild it with src/main/bpf/build.sh");
    }
    return map;
  }

  private static byte[] readObject() throws BridgeUnavailableException {
    try (InputStream in = SocketTraceProgram.class.getResourceAsStream(OBJECT_RESOURCE)) {
      if (in == null) {
        throw new BridgeUnavailableException(
            FailureReason.LOAD_FAILED,
            OBJECT_RESOURCE + " is missing from the classpath; rebuild with src/main/bpf/build.sh");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new BridgeUnavailableException(
          FailureReason.LOAD_FAILED, "cannot read " + OBJECT_RESOURCE + ": " + e, e);
    }
  }
}
