package dev.threadline.bridge.span;

import dev.threadline.bridge.decode.Endpoint;
import dev.threadline.bridge.decode.SocketEvent;

/**
 * Who a socket end belongs to, as its spans name it: taken from its first data event, without
 * keeping that event's record alive for the life of the connection.
 */
record Connection(int pid, int fd, long sockId, Endpoint local, Endpoint remote) {
  static Connection of(SocketEvent e) {
    return new Connection(e.pid(), e.fd(), e.sockId(), e.local(), e.remote());
  }
}
