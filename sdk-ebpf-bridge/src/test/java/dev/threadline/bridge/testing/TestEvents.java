package dev.threadline.bridge.testing;

import dev.threadline.bridge.decode.Direction;
import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.EventType;
import dev.threadline.bridge.decode.SocketEvent;
import dev.threadline.bridge.decode.Syscall;
import dev.threadline.bridge.decode.ThreadStamp;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the events one socket end would produce, with sequence numbers advancing as on the wire,
 * for tests of the parser and pairing that need exact control over call boundaries.
 */
public final class TestEvents {
  private final int pid;
  private final long sockId;
  private final Endpoint local;
  private final Endpoint remote;
  private long egressSeq = 1000;
  private long ingressSeq = 5000;
  private long clock = 1_000_000;
  private int capture = 1024;

  public TestEvents(int pid, long sockId, int localPort, int remotePort) {
    this.pid = pid;
    this.sockId = sockId;
    this.local = new Endpoint(InetAddress.getLoopbackAddress(), localPort);
    this.remote = new Endpoint(InetAddress.getLoopbackAddress(), remotePort);
  }

  /** Captured bytes per syscall from now on (the BPF side's N). */
  public TestEvents capture(int n) {
    capture = n;
    return this;
  }

  private ThreadStamp stamp;

  /**
   * Data events made after this carry {@code stamp} as the calling thread's span (null: none), as
   * the BPF program stamps them from the thread's published context.
   */
  public TestEvents stamped(ThreadStamp stamp) {
    this.stamp = stamp;
    return this;
  }

  public SocketEvent send(String text) {
    return data(Direction.EGRESS, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public SocketEvent receive(String text) {
    return data(Direction.INGRESS, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** A syscall moving {@code bytes}, of which only the first N are captured. */
  public SocketEvent data(Direction direction, byte[] bytes) {
    long seq = direction == Direction.EGRESS ? egressSeq : ingressSeq;
    if (direction == Direction.EGRESS) {
      egressSeq = (egressSeq + bytes.length) & 0xFFFF_FFFFL;
    } else {
      ingressSeq = (ingressSeq + bytes.length) & 0xFFFF_FFFFL;
    }
    long t = clock += 15;
    byte[] captured = Arrays.copyOf(bytes, Math.min(bytes.length, capture));
    return new SocketEvent(
        EventType.DATA,
        direction == Direction.EGRESS ? Syscall.WRITE : Syscall.READ,
        direction,
        pid,
        pid + 1,
        "test",
        9,
        sockId,
        local,
        remote,
        t,
        bytes.length,
        seq,
        direction == Direction.EGRESS ? ingressSeq : egressSeq,
        captured,
        stamp);
  }

  /**
   * A lifecycle event as the TCP stack raises it: CONNECT in the connecting thread, ACCEPT and
   * CLOSE outside any process (pid 0).
   */
  public SocketEvent lifecycle(EventType type) {
    long t = clock += 10;
    boolean inProcess = type == EventType.CONNECT;
    return new SocketEvent(
        type,
        inProcess ? Syscall.CONNECT : Syscall.NONE,
        Direction.EGRESS,
        inProcess ? pid : 0,
        inProcess ? pid + 1 : 0,
        inProcess ? "test" : "",
        inProcess ? 9 : -1,
        sockId,
        local,
        remote,
        t,
        0,
        0,
        -1,
        new byte[0],
        null);
  }

  public long egressSeq() {
    return egressSeq;
  }

  public long ingressSeq() {
    return ingressSeq;
  }
}
