package dev.threadline.bridge.decode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One decoded ring-buffer record: bytes moved on a TCP socket, or a change in its connection.
 * Immutable.
 *
 * <p>An event decoded from a record keeps that record as its storage: the payload is not copied,
 * and the endpoints and thread name are decoded only when asked for, since most events never need
 * them (the socket's first event names the connection for the rest).
 */
public final class SocketEvent {
  private final EventType type;
  private final Syscall syscall;
  private final Direction direction;
  private final int pid;
  private final int tid;
  private final int fd;
  private final long sockId;
  private final long nanos;
  private final long bytes;
  private final long seq;
  private final long peerSeq;
  private final byte[] data;
  private final int payloadOffset;
  private final int payloadLength;

  /** The record the lazy fields below are decoded from, or null when they were given. */
  private final byte[] record;

  private String comm;
  private Endpoint local;
  private Endpoint remote;
  private ThreadStamp stamp;
  private boolean stampDecoded;

  /**
   * An event built from values (tests, replays); {@code payload} is copied.
   *
   * @param type data or lifecycle
   * @param syscall the call that moved the bytes, or {@link Syscall#NONE}
   * @param direction for {@link EventType#DATA}: who sent the bytes
   * @param pid tgid of the process, 0 for lifecycle events the TCP stack raised outside any process
   * @param tid thread id
   * @param comm thread name (task comm)
   * @param fd file descriptor in that process, or -1 when unknown
   * @param sockId kernel address of the socket: identity of this end while it is open
   * @param local this process's end
   * @param remote the peer's end
   * @param nanos CLOCK_MONOTONIC when the bytes were moved or the state changed (the clock of
   *     {@link System#nanoTime()})
   * @param bytes bytes moved (0 for lifecycle events)
   * @param seq TCP sequence number of the first byte moved (unsigned 32-bit)
   * @param peerSeq for {@link EventType#DATA}: the socket's sequence number in the other direction
   *     when the call returned (unsigned 32-bit), or -1 when unknown
   * @param payload the first captured bytes of the data (at most N, may be shorter than bytes)
   * @param stamp the span the calling thread had published, or null for none
   */
  public SocketEvent(
      EventType type,
      Syscall syscall,
      Direction direction,
      int pid,
      int tid,
      String comm,
      int fd,
      long sockId,
      Endpoint local,
      Endpoint remote,
      long nanos,
      long bytes,
      long seq,
      long peerSeq,
      byte[] payload,
      ThreadStamp stamp) {
    this(
        type,
        syscall,
        direction,
        pid,
        tid,
        fd,
        sockId,
        nanos,
        bytes,
        seq,
        peerSeq,
        payload.clone(),
        0,
        payload.length,
        null);
    this.comm = comm;
    this.local = local;
    this.remote = remote;
    this.stamp = stamp;
    this.stampDecoded = true;
  }

  /** A decoded record, which this event then owns. */
  SocketEvent(
      EventType type,
      Syscall syscall,
      Direction direction,
      int pid,
      int tid,
      int fd,
      long sockId,
      long nanos,
      long bytes,
      long seq,
      long peerSeq,
      byte[] data,
      int payloadOffset,
      int payloadLength,
      byte[] record) {
    this.type = type;
    this.syscall = syscall;
    this.direction = direction;
    this.pid = pid;
    this.tid = tid;
    this.fd = fd;
    this.sockId = sockId;
    this.nanos = nanos;
    this.bytes = bytes;
    this.seq = seq;
    this.peerSeq = peerSeq;
    this.data = data;
    this.payloadOffset = payloadOffset;
    this.payloadLength = payloadLength;
    this.record = record;
  }

  public EventType type() {
    return type;
  }

  public Syscall syscall() {
    return syscall;
  }

  public Direction direction() {
    return direction;
  }

  public int pid() {
    return pid;
  }

  public int tid() {
    return tid;
  }

  public int fd() {
    return fd;
  }

  public long sockId() {
    return sockId;
  }

  /**
   * CLOCK_MONOTONIC nanoseconds: when the send or receive returned, or the connection changed
   * state.
   */
  public long nanos() {
    return nanos;
  }

  public long bytes() {
    return bytes;
  }

  /** TCP sequence number of the first byte moved, unsigned 32-bit. */
  public long seq() {
    return seq;
  }

  /**
   * For a data event, the socket's TCP sequence number in the other direction when the call
   * returned (unsigned 32-bit): after a send, the next byte to receive; after a receive, the next
   * byte to send. -1 when unknown.
   */
  public long peerSeq() {
    return peerSeq;
  }

  /** Thread name (task comm). */
  public String comm() {
    if (comm == null) {
      int end = EventLayout.COMM;
      while (end < EventLayout.COMM + 16 && record[end] != 0) {
        end++;
      }
      comm = new String(record, EventLayout.COMM, end - EventLayout.COMM, StandardCharsets.UTF_8);
    }
    return comm;
  }

  /**
   * The span that was current on the calling thread during this send or receive, or null when the
   * thread published none (no span, a process without a thread-context region, a lifecycle event).
   */
  public ThreadStamp stamp() {
    if (!stampDecoded) {
      stamp = type == EventType.DATA ? ThreadStamp.of(record) : null;
      stampDecoded = true;
    }
    return stamp;
  }

  /** This process's end of the connection. */
  public Endpoint local() {
    if (local == null) {
      local = endpoint(EventLayout.LADDR, EventLayout.LPORT);
    }
    return local;
  }

  /** The peer's end. */
  public Endpoint remote() {
    if (remote == null) {
      remote = endpoint(EventLayout.RADDR, EventLayout.RPORT);
    }
    return remote;
  }

  /** A copy of the captured payload. */
  public byte[] payload() {
    return Arrays.copyOfRange(data, payloadOffset, payloadOffset + payloadLength);
  }

  /** Captured payload length, without copying. */
  public int capturedLength() {
    return payloadLength;
  }

  /** Captured byte at {@code index}, without copying. */
  public byte payloadByte(int index) {
    if (index < 0 || index >= payloadLength) {
      throw new IndexOutOfBoundsException(index);
    }
    return data[payloadOffset + index];
  }

  /**
   * Copies {@code length} captured bytes from {@code from} into {@code dst} at {@code dstOffset}.
   */
  public void copyPayload(int from, byte[] dst, int dstOffset, int length) {
    if (from < 0 || length < 0 || from + length > payloadLength) {
      throw new IndexOutOfBoundsException(
          "payload range " + from + "+" + length + " of " + payloadLength);
    }
    System.arraycopy(data, payloadOffset + from, dst, dstOffset, length);
  }

  private Endpoint endpoint(int addressOffset, int portOffset) {
    int family = EventDecoder.u16(record, EventLayout.FAMILY);
    int length = family == EventLayout.AF_INET ? 4 : 16;
    try {
      InetAddress address =
          InetAddress.getByAddress(
              Arrays.copyOfRange(record, addressOffset, addressOffset + length));
      return new Endpoint(address, EventDecoder.u16(record, portOffset));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(
          "address of " + length + " bytes", e); // cannot happen for 4 or 16
    }
  }

  @Override
  public String toString() {
    return "SocketEvent["
        + type
        + " "
        + syscall
        + " "
        + direction
        + " pid="
        + pid
        + " tid="
        + tid
        + " fd="
        + fd
        + " sock="
        + Long.toHexString(sockId)
        + " "
        + local()
        + "->"
        + remote()
        + " t="
        + nanos
        + " bytes="
        + bytes
        + " seq="
        + seq
        + " peerSeq="
        + peerSeq
        + " captured="
        + payloadLength
        + "]";
  }
}
