package dev.threadline.bridge.decode;

/** enum tl_event_type. */
public enum EventType {
  /** Bytes moved on a TCP socket. */
  DATA,
  /**
   * A listener's connection was established: this end is the server. Raised by the TCP stack, so
   * pid is 0.
   */
  ACCEPT,
  /** The process started a connection on this socket: this end is the client. */
  CONNECT,
  /**
   * The connection ended for this end (closed, reset or refused). May be raised outside the process
   * (pid 0).
   */
  CLOSE;

  static EventType of(int code) {
    switch (code) {
      case EventLayout.TYPE_DATA:
        return DATA;
      case EventLayout.TYPE_ACCEPT:
        return ACCEPT;
      case EventLayout.TYPE_CONNECT:
        return CONNECT;
      case EventLayout.TYPE_CLOSE:
        return CLOSE;
      default:
        throw new IllegalArgumentException("unknown event type " + code);
    }
  }
}
