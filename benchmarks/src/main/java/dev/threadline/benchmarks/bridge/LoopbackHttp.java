package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.http.HttpMessage;
import dev.threadline.bridge.span.SSpan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A keep-alive HTTP/1.1 exchange over a loopback TCP connection, both ends in this process: one
 * request write, its read, one response write, its read: four syscalls the bridge traces.
 */
final class LoopbackHttp implements AutoCloseable {
  private static final byte[] REQUEST =
      ("GET /items/42 HTTP/1.1\r\nHost: shop\r\n"
              + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final String BODY = "{\"item\":\"coffee\"}";
  // Content-Length from the body itself: a wrong one would send the parser into resync on every
  // response, and the benchmarks would measure that instead of the normal path.
  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + BODY.getBytes(StandardCharsets.US_ASCII).length
              + "\r\n\r\n"
              + BODY)
          .getBytes(StandardCharsets.US_ASCII);

  private final ServerSocketChannel server;
  private final SocketChannel client;
  private final SocketChannel accepted;
  private final ByteBuffer request = ByteBuffer.wrap(REQUEST);
  private final ByteBuffer response = ByteBuffer.wrap(RESPONSE);
  private final ByteBuffer in = ByteBuffer.allocateDirect(4096);

  LoopbackHttp() throws IOException {
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client = SocketChannel.open(server.getLocalAddress());
    accepted = server.accept();
    client.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
    accepted.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
  }

  /**
   * Throws unless {@code span} is one of this exchange's S spans exactly as the bridge must make
   * it: HTTP, GET /items/42 with its traceparent, a 200 response, and both sizes equal to the bytes
   * on the wire.
   */
  static void checkSpan(SSpan span) {
    HttpMessage request = span.request();
    HttpMessage response = span.response();
    boolean ok =
        "http".equals(span.protocol())
            && request != null
            && response != null
            && "GET".equals(request.method())
            && "/items/42".equals(request.target())
            && request.traceparent() != null
            && response.status() == 200
            && !response.truncated()
            && span.requestBytes() == REQUEST.length
            && span.responseBytes() == RESPONSE.length;
    if (!ok) {
      throw new IllegalStateException(
          "malformed S span for the loopback exchange (expected GET /items/42 -> 200, "
              + REQUEST.length
              + " B / "
              + RESPONSE.length
              + " B): "
              + span);
    }
  }

  /** What {@link #exchange()} returns: request and response bytes read. */
  int bytesPerExchange() {
    return REQUEST.length + RESPONSE.length;
  }

  int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** One request and its response; returns the bytes read, so the work cannot be optimised away. */
  int exchange() throws IOException {
    request.rewind();
    client.write(request);
    int read = readFully(accepted, REQUEST.length);
    response.rewind();
    accepted.write(response);
    return read + readFully(client, RESPONSE.length);
  }

  private int readFully(SocketChannel channel, int length) throws IOException {
    in.clear().limit(length);
    while (in.hasRemaining()) {
      if (channel.read(in) < 0) {
        throw new IOException("connection closed");
      }
    }
    return length;
  }

  @Override
  public void close() throws IOException {
    client.close();
    accepted.close();
    server.close();
  }
}
