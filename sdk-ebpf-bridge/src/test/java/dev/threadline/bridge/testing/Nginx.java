package dev.threadline.bridge.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real nginx reverse proxy started by a test: its own config, pid file, logs and temp paths in a
 * fresh directory, listening on free ports on 127.0.0.1 and ::1, proxying to one upstream with
 * keep-alive connections, and serving /static/big.bin with sendfile. {@link #close()} stops it.
 */
public final class Nginx implements AutoCloseable {
  /** Size of /static/big.bin, served with sendfile. */
  public static final int STATIC_FILE_BYTES = 100 * 1024;

  private final Path dir;
  private final Process master;
  private final int port4;
  private final int port6;

  private Nginx(Path dir, Process master, int port4, int port6) {
    this.dir = dir;
    this.master = master;
    this.port4 = port4;
    this.port6 = port6;
  }

  /** Starts nginx proxying "/" to 127.0.0.1:backendPort and "/v6/" to [::1]:backendPort. */
  public static Nginx start(Path nginx, int backendPort) throws IOException, InterruptedException {
    return start(nginx, backendPort, List.of());
  }

  /**
   * As {@link #start(Path, int)}, with {@code locations} added to the server block: more {@code
   * location} blocks, which may proxy to the upstream {@code backend4} (127.0.0.1:backendPort).
   */
  public static Nginx start(Path nginx, int backendPort, List<String> locations)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("threadline-nginx-");
    int port4 = freePort("127.0.0.1");
    int port6 = freePort("::1");
    String conf =
        String.join(
            "\n",
            "daemon off;",
            "master_process on;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " info;",
            "events { worker_connections 64; }",
            "http {",
            "  access_log off;",
            "  client_body_temp_path " + dir.resolve("body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            // Keep a 10 KiB body in memory, as Kong does for small bodies; no sendfile.
            "  client_body_buffer_size 64k;",
            "  sendfile off;",
            "  upstream backend4 { server 127.0.0.1:" + backendPort + "; keepalive 8; }",
            "  upstream backend6 { server [::1]:" + backendPort + "; keepalive 8; }",
            "  server {",
            "    listen 127.0.0.1:" + port4 + ";",
            "    listen [::1]:" + port6 + ";",
            "    location /v6/ { proxy_pass http://backend6; proxy_http_version 1.1; proxy_set_header Connection \"\"; }",
            // Static files go out with sendfile(2), as Kong's do.
            "    location /static/ { root " + dir.resolve("www") + "; sendfile on; }",
            "    location / { proxy_pass http://backend4; proxy_http_version 1.1; proxy_set_header Connection \"\"; }",
            locations.stream().map(l -> "    " + l).collect(Collectors.joining("\n")),
            "  }",
            "}",
            "");
    Files.createDirectories(dir.resolve("www/static"));
    Files.write(dir.resolve("www/static/big.bin"), new byte[STATIC_FILE_BYTES]);
    // Workers run as an unprivileged user when the master is root: they must be able to read these.
    for (Path p : List.of(dir, dir.resolve("www"), dir.resolve("www/static"))) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.setPosixFilePermissions(
        dir.resolve("www/static/big.bin"), PosixFilePermissions.fromString("rw-r--r--"));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf, StandardCharsets.UTF_8);
    Process master =
        new ProcessBuilder(
                nginx.toString(),
                "-p",
                dir.toString(),
                "-c",
                confFile.toString(),
                "-e",
                dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Nginx started = new Nginx(dir, master, port4, port6);
    started.awaitListening();
    return started;
  }

  private void awaitListening() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (!master.isAlive()) {
        throw new IOException("nginx exited with " + master.exitValue() + ": " + log());
      }
      if (accepts("127.0.0.1", port4) && accepts("::1", port6) && !workerPids().isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IOException("nginx did not start listening: " + log());
  }

  private static boolean accepts(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getByName(host), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  public int port4() {
    return port4;
  }

  public int port6() {
    return port6;
  }

  public int masterPid() {
    return (int) master.pid();
  }

  /** Worker processes (children of the master). */
  public List<Integer> workerPids() {
    return master.children().map(p -> (int) p.pid()).collect(Collectors.toList());
  }

  /** error.log, for assertion messages. */
  public String log() {
    try {
      return Files.readString(dir.resolve("error.log"));
    } catch (IOException e) {
      return "(no error.log: " + e + ")";
    }
  }

  /** Stops nginx (SIGTERM = fast shutdown, then SIGKILL) and deletes its directory. */
  @Override
  public void close() throws IOException {
    master.destroy();
    try {
      if (!master.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        master.children().forEach(ProcessHandle::destroyForcibly);
        master.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
