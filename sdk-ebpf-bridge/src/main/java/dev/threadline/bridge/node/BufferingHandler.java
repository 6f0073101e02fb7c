package dev.threadline.bridge.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs on a connection thread ({@link ConnectionThreads}) once the JDK server has read a request's
 * headers: reads the body (at most {@code maxBody} + 1 bytes, within the read timeout), lets {@code
 * handler} serve it on a handler thread from memory ({@link BufferedExchange}), then sends the
 * response (within the read timeout). A slow client therefore holds its own connection thread,
 * never a handler thread.
 *
 * <p>When a body is left unread (a declared or sent length past {@code maxBody}: the handler
 * answers 413), the response says {@code Connection: close} and the connection is closed after it:
 * reading on would cost up to the whole remainder, and keeping it would read the remainder as the
 * next request.
 */
final class BufferingHandler implements HttpHandler {
  private final HttpHandler handler;
  private final ExecutorService handlers;
  private final int maxBody;
  private final Duration readTimeout;

  BufferingHandler(
      HttpHandler handler, ExecutorService handlers, int maxBody, Duration readTimeout) {
    this.handler = handler;
    this.handlers = handlers;
    this.maxBody = maxBody;
    this.readTimeout = readTimeout;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    RequestDeadline deadline = ConnectionThreads.current();
    deadline.arm("body", readTimeout);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean complete = declaredWithin(exchange) && read(exchange.getRequestBody(), body);
    deadline.disarm();

    BufferedExchange buffered = new BufferedExchange(exchange, body.toByteArray());
    Future<?> handled =
        handlers.submit(
            () -> {
              handler.handle(buffered);
              return null;
            });
    try {
      handled.get();
    } catch (ExecutionException e) {
      // As when a handler throws on the JDK server's own thread: the connection is closed.
      throw new IOException("the handler failed", e.getCause());
    } catch (InterruptedException e) {
      handled.cancel(true);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stopped while the handler ran");
    }

    deadline.arm("response", readTimeout);
    buffered.replay(!complete);
    if (!complete) {
      // The response is on the wire. Closing the exchange would read on through the unread body;
      // failing the exchange instead makes the JDK server close the connection.
      throw new IOException("request body left unread: connection closed");
    }
    exchange.close();
    deadline.disarm();
  }

  private boolean declaredWithin(HttpExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared == null) {
      return true;
    }
    try {
      return Long.parseLong(declared.trim()) <= maxBody;
    } catch (NumberFormatException e) {
      return true; // the JDK server refuses a malformed length before any handler runs
    }
  }

  /** Reads to the end, or stops one byte past {@code maxBody}; true when the end was reached. */
  private boolean read(InputStream in, ByteArrayOutputStream body) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    int n;
    while ((n = in.read(buffer, 0, Math.min(buffer.length, maxBody + 1 - body.size()))) > 0) {
      body.write(buffer, 0, n);
      if (body.size() > maxBody) {
        return false;
      }
    }
    return true;
  }
}
