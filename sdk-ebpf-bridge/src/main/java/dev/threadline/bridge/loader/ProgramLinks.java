package dev.threadline.bridge.loader;

import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LastError;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The links that attach a loaded object's programs where their sections say: attached all together,
 * detached all together, and attached again at will (a benchmark times the same programs detached
 * and attached).
 */
final class ProgramLinks {
  private final LibBpf bpf;
  private final LibC libc;
  private final LibbpfLog log;
  private final Pointer object;
  private final List<Pointer> links = new ArrayList<>();

  ProgramLinks(LibBpf bpf, LibC libc, LibbpfLog log, Pointer object) {
    this.bpf = bpf;
    this.libc = libc;
    this.log = log;
    this.object = object;
  }

  /**
   * Attaches every program; nothing when attached. On a failure, detaches those attached and
   * throws.
   */
  synchronized void attach() throws BridgeUnavailableException {
    if (!links.isEmpty()) {
      return;
    }
    for (Pointer prog = bpf.bpf_object__next_program(object, null);
        prog != null;
        prog = bpf.bpf_object__next_program(object, prog)) {
      log.clear();
      Pointer link = bpf.bpf_program__attach(prog);
      if (link == null) {
        int errno = LastError.getLastError(Runtime.getRuntime(bpf));
        detach();
        throw new BridgeUnavailableException(
            FailureReason.ATTACH_FAILED,
            "cannot attach "
                + bpf.bpf_program__name(prog)
                + " ("
                + libc.strerror(errno)
                + ": "
                + log.lastLine()
                + ")");
      }
      links.add(link);
    }
  }

  synchronized void detach() {
    for (Pointer link : links) {
      bpf.bpf_link__destroy(link);
    }
    links.clear();
  }
}
