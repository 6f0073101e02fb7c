package dev.threadline.bridge.node;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;

/**
 * An exchange a handler thread can serve without touching the client's socket: the request body was
 * read before (it is in memory), and the response goes to memory until the connection thread sends
 * it ({@link #replay}). Headers, URI, method and addresses are the real exchange's.
 */
final class BufferedExchange extends HttpExchange {
  private final HttpExchange real;
  private InputStream requestBody;
  private OutputStream responseBody;
  private final ByteArrayOutputStream response = new ByteArrayOutputStream();
  private int status = -1;

  BufferedExchange(HttpExchange real, byte[] body) {
    this.real = real;
    this.requestBody = new ByteArrayInputStream(body);
    this.responseBody = response;
  }

  /**
   * Sends what the handler answered on the real exchange. When {@code bodyLeftUnread}, the response
   * says {@code Connection: close} and the caller must close the connection rather than the
   * exchange (which would make the JDK server read on through the rest of the body).
   */
  void replay(boolean bodyLeftUnread) throws IOException {
    if (status < 0) {
      throw new IOException("the handler sent no response");
    }
    if (bodyLeftUnread) {
      real.getResponseHeaders().set("Connection", "close");
    }
    byte[] bytes = response.toByteArray();
    // -1: no body. (HEAD answers carry the Content-Length their handler set, and no body.)
    boolean head = "HEAD".equals(real.getRequestMethod());
    long length = head || bytes.length == 0 ? -1 : bytes.length;
    real.sendResponseHeaders(status, length);
    if (length > 0) {
      OutputStream out = real.getResponseBody();
      out.write(bytes);
      out.flush();
    }
  }

  @Override
  public Headers getRequestHeaders() {
    return real.getRequestHeaders();
  }

  @Override
  public Headers getResponseHeaders() {
    return real.getResponseHeaders();
  }

  @Override
  public URI getRequestURI() {
    return real.getRequestURI();
  }

  @Override
  public String getRequestMethod() {
    return real.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return real.getHttpContext();
  }

  /** Nothing to release: the connection thread finishes the real exchange. */
  @Override
  public void close() {}

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  /** Records the status; the length is the JDK server's business once the body is known. */
  @Override
  public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
    if (status >= 0) {
      throw new IOException("headers already sent");
    }
    status = rCode;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return real.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return real.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return real.getProtocol();
  }

  @Override
  public Object getAttribute(String name) {
    return real.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    real.setAttribute(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    if (i != null) {
      requestBody = i;
    }
    if (o != null) {
      responseBody = o;
    }
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return real.getPrincipal();
  }
}
