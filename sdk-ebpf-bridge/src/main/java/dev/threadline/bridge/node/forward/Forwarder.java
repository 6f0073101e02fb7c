package dev.threadline.bridge.node.forward;

import dev.threadline.bridge.node.metrics.NodeMetrics;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-sends every accepted export request to another OTLP/HTTP endpoint, through a queue bounded in
 * bytes and one sender thread.
 *
 * <p>Protobuf requests are re-posted as the very bytes received (still gzipped if they came
 * gzipped) rather than re-exported through the OpenTelemetry SDK exporter: the SDK exporter takes
 * {@code SpanData}, so spans would have to be rebuilt and re-encoded, and Kong's spans would not
 * reach the backend byte for byte as Kong sent them. The exception is a request the receiver had to
 * redact (a credential header, a secret in a URL): a secret the node will not store is not passed
 * on either, so that request alone is sent as its redacted protobuf, uncompressed. JSON requests
 * are sent on as the protobuf they were decoded into (redacted too), so the target only ever needs
 * protobuf. A failed request is not retried: the node is a tap in front of the backend, and holding
 * on to data for a backend that is down is what would make its memory unbounded. Failures are
 * counted instead.
 */
public final class Forwarder implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(Forwarder.class.getName());
  private static final int MAX_QUEUED_REQUESTS = 10_000;

  private record Batch(byte[] body, boolean gzip, int spans) {}

  private final ForwardConfig config;
  private final NodeMetrics metrics;
  private final HttpClient client;
  private final BlockingQueue<Batch> queue = new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread sender;
  private volatile boolean failing;

  private Forwarder(ForwardConfig config, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.client = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    this.sender = new Thread(this::run, "threadline-node-forwarder");
    sender.setDaemon(true);
  }

  /** Starts the sender thread. */
  public static Forwarder start(ForwardConfig config, NodeMetrics metrics) {
    Forwarder forwarder = new Forwarder(config, metrics);
    forwarder.sender.start();
    return forwarder;
  }

  public ForwardConfig config() {
    return config;
  }

  /**
   * Queues one request body (OTLP protobuf, gzipped or not) carrying {@code spans} spans; never
   * blocks.
   *
   * @return false when the queue is full or the forwarder closed (the spans are counted as
   *     failures)
   */
  public boolean offer(byte[] body, boolean gzip, int spans) {
    if (closed.get() || queuedBytes.addAndGet(body.length) > config.maxQueueBytes()) {
      queuedBytes.addAndGet(-body.length);
      metrics.forwardFailed(spans);
      return false;
    }
    if (!queue.offer(new Batch(body, gzip, spans))) {
      queuedBytes.addAndGet(-body.length);
      metrics.forwardFailed(spans);
      return false;
    }
    return true;
  }

  /** Bytes waiting to be sent. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  private void run() {
    while (!closed.get()) {
      Batch batch;
      try {
        batch = queue.take();
      } catch (InterruptedException e) {
        break;
      }
      queuedBytes.addAndGet(-batch.body().length);
      send(batch);
    }
  }

  private void send(Batch batch) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(config.endpoint())
            .timeout(config.timeout())
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()));
    if (batch.gzip()) {
      request.header("Content-Encoding", "gzip");
    }
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      request.header(header.getKey(), header.getValue());
    }
    try {
      HttpResponse<Void> response =
          client.send(request.build(), HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 == 2) {
        metrics.forwarded(batch.spans());
        recovered();
      } else {
        fail(batch, "HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      fail(batch, e.toString());
    } catch (InterruptedException e) {
      fail(batch, "interrupted");
      Thread.currentThread().interrupt();
      closed.set(true);
    }
  }

  /** Logs when forwarding starts failing and when it recovers, not once per request. */
  private void fail(Batch batch, String why) {
    metrics.forwardFailed(batch.spans());
    if (!failing) {
      failing = true;
      logger.log(
          Level.WARNING,
          "threadline node: forwarding to {0} failed ({1}); counting failures in "
              + "threadline.node.spans.forward.failures",
          new Object[] {config.endpoint(), why});
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      logger.log(Level.INFO, "threadline node: forwarding to {0} works again", config.endpoint());
    }
  }

  /** Stops the sender; what is still queued is counted as failed. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    sender.interrupt();
    try {
      sender.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Batch left;
    while ((left = queue.poll()) != null) {
      queuedBytes.addAndGet(-left.body().length);
      metrics.forwardFailed(left.spans());
    }
  }
}
