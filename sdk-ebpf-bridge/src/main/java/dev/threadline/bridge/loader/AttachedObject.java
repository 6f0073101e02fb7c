package dev.threadline.bridge.loader;

import jnr.ffi.Pointer;

/**
 * Any BPF object, loaded and with every program attached where its section says, with no maps to
 * configure: the reference programs the benchmarks measure the bridge against (empty programs on
 * the same tracepoints). Production tracing goes through {@link SocketTraceProgram}.
 */
public final class AttachedObject implements AutoCloseable {
  private final LibBpf bpf;
  private final Pointer object;
  private final ProgramLinks links;
  private boolean closed;

  private AttachedObject(LibBpf bpf, LibC libc, LibbpfLog log, Pointer object) {
    this.bpf = bpf;
    this.object = object;
    this.links = new ProgramLinks(bpf, libc, log, object);
  }

  /**
   * Opens, loads and attaches {@code elf}; one-line {@link BridgeUnavailableException} on any
   * failure.
   */
  public static AttachedObject load(byte[] elf) throws BridgeUnavailableException {
    new Preflight().check();
    LibBpf bpf = NativeLibraries.libBpf();
    LibC libc = NativeLibraries.libC();
    LibbpfLog log = BpfObjects.captureLog(bpf, libc);
    Pointer image = BpfObjects.image(bpf, elf);
    Pointer object = BpfObjects.open(bpf, libc, log, image, elf.length);
    try {
      BpfObjects.load(bpf, libc, log, object);
      AttachedObject attached = new AttachedObject(bpf, libc, log, object);
      attached.attach();
      return attached;
    } catch (BridgeUnavailableException | RuntimeException e) {
      bpf.bpf_object__close(object);
      throw e;
    } finally {
      java.lang.ref.Reference.reachabilityFence(image);
    }
  }

  /** Attaches every program (again); nothing when attached. */
  public synchronized void attach() throws BridgeUnavailableException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    links.attach();
  }

  /** How many programs the object holds (each attached by its own link). */
  public int programCount() {
    int count = 0;
    for (Pointer p = bpf.bpf_object__next_program(object, null);
        p != null;
        p = bpf.bpf_object__next_program(object, p)) {
      count++;
    }
    return count;
  }

  /** The file descriptor of one of the object's maps, to read it (a ring buffer, a counter). */
  public int mapFd(String name) {
    Pointer map = bpf.bpf_object__find_map_by_name(object, name);
    if (map == null) {
      throw new IllegalArgumentException("the object has no map " + name);
    }
    return bpf.bpf_map__fd(map);
  }

  /**
   * The sum over CPUs of entry 0 of a {@code BPF_MAP_TYPE_PERCPU_ARRAY} of {@code __u64}: how the
   * reference programs count their calls, so that a caller can prove they ran while attached.
   */
  public synchronized long perCpuCounter(String mapName) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    long sum = PerCpuCounters.sum(bpf, mapFd(mapName), 0);
    if (sum < 0) {
      throw new IllegalStateException("cannot read map " + mapName);
    }
    return sum;
  }

  public synchronized void detach() {
    links.detach();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      detach();
      bpf.bpf_object__close(object);
    }
  }
}
