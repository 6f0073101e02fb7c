package dev.threadline.bridge.loader;

import java.util.Set;

/**
 * What to trace.
 *
 * @param captureBytes payload bytes copied per syscall (N), 0..16384
 * @param pids tgids to trace, with their descendants (current and future); empty means every
 *     process except the bridge itself
 * @param ports when not empty, only sockets whose local or remote port is listed
 * @param selfPid the bridge's own pid (excluded when {@code pids} is empty)
 * @param ringBufferBytes size of the BPF ring buffer: a power of two, 4 KiB..256 MiB
 */
public record TraceConfig(
    int captureBytes, Set<Integer> pids, Set<Integer> ports, int selfPid, int ringBufferBytes) {
  /** Default N, as in socket_trace.h TL_DEFAULT_CAPTURE. */
  public static final int DEFAULT_CAPTURE = 1024;

  /** Hard cap for N, as in socket_trace.h TL_MAX_CAPTURE. */
  public static final int MAX_CAPTURE = 16384;

  /** Default ring buffer: 16 MiB holds about 14 000 events of 1 KiB payload. */
  public static final int DEFAULT_RING_BUFFER = 16 * 1024 * 1024;

  public TraceConfig {
    if (captureBytes < 0 || captureBytes > MAX_CAPTURE) {
      throw new IllegalArgumentException(
          "captureBytes must be 0.." + MAX_CAPTURE + ", was " + captureBytes);
    }
    // At most 256 MiB: the reader maps the data area twice and addresses it with an int.
    if (ringBufferBytes < 4096
        || ringBufferBytes > (256 << 20)
        || Integer.bitCount(ringBufferBytes) != 1) {
      throw new IllegalArgumentException(
          "ringBufferBytes must be a power of two in 4 KiB..256 MiB, was " + ringBufferBytes);
    }
    pids = Set.copyOf(pids);
    ports = Set.copyOf(ports);
    for (int pid : pids) {
      if (pid <= 0 || pid > PidBitmap.MAX_PID) {
        throw new IllegalArgumentException("not a pid: " + pid);
      }
    }
    for (int port : ports) {
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("not a TCP port: " + port);
      }
    }
  }

  /** With the default ring buffer size. */
  public TraceConfig(int captureBytes, Set<Integer> pids, Set<Integer> ports, int selfPid) {
    this(captureBytes, pids, ports, selfPid, DEFAULT_RING_BUFFER);
  }

  /** Every process but this one, default capture, no port filter. */
  public static TraceConfig allButSelf() {
    return new TraceConfig(
        DEFAULT_CAPTURE, Set.of(), Set.of(), (int) ProcessHandle.current().pid());
  }

  public TraceConfig withPids(Set<Integer> newPids) {
    return new TraceConfig(captureBytes, newPids, ports, selfPid, ringBufferBytes);
  }

  public TraceConfig withPorts(Set<Integer> newPorts) {
    return new TraceConfig(captureBytes, pids, newPorts, selfPid, ringBufferBytes);
  }

  public TraceConfig withCaptureBytes(int n) {
    return new TraceConfig(n, pids, ports, selfPid, ringBufferBytes);
  }

  public TraceConfig withRingBufferBytes(int bytes) {
    return new TraceConfig(captureBytes, pids, ports, selfPid, bytes);
  }
}
