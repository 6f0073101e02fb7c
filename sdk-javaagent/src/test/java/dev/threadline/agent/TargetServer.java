package dev.threadline.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The downstream server of the client scenarios: answers {@code /ok} with 200 and {@code /fail}
 * with 503, and prints the {@code traceparent} each request carried, so the test can match it to
 * the exported CLIENT span.
 */
public final class TargetServer implements AutoCloseable {
  private final HttpServer server;

  public TargetServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          System.out.println(
              "received "
                  + path
                  + " traceparent="
                  + exchange.getRequestHeaders().getFirst("traceparent"));
          byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(path.startsWith("/fail") ? 503 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
