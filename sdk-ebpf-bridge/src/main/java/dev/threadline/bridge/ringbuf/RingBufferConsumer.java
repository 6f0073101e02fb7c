package dev.threadline.bridge.ringbuf;

import dev.threadline.bridge.loader.BridgeUnavailableException;
import java.util.function.Consumer;

/**
 * One daemon thread that drains a BPF ring buffer through a {@link RingReader} and hands each
 * record, copied to a {@code byte[]}, to a consumer. The consumer runs on this thread, so it must
 * not block for long; an exception from it is remembered, and the stream goes on.
 */
public final class RingBufferConsumer implements AutoCloseable {
  // The BPF side wakes the reader only per batch (tl_config.wakeup_bytes pending, an eighth of the
  // ring): this timeout bounds how late a record of a quiet period is read.
  private static final int POLL_TIMEOUT_MS = 10;

  /** Opens a reader that delivers records to the given sink. */
  public interface ReaderFactory {
    RingReader open(Consumer<byte[]> sink) throws BridgeUnavailableException;
  }

  private final RingReader reader;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  private RingBufferConsumer(ReaderFactory factory, Consumer<byte[]> sink)
      throws BridgeUnavailableException {
    this.reader =
        factory.open(
            record -> {
              try {
                sink.accept(record);
              } catch (RuntimeException e) {
                // A bad record must not stop the stream; remember the first failure.
                if (failure == null) {
                  failure = e;
                }
              }
            });
    this.thread = new Thread(this::run, "threadline-ringbuf");
    thread.setDaemon(true);
  }

  /** Starts draining; records go to {@code sink}. */
  public static RingBufferConsumer start(ReaderFactory factory, Consumer<byte[]> sink)
      throws BridgeUnavailableException {
    RingBufferConsumer consumer = new RingBufferConsumer(factory, sink);
    consumer.thread.start();
    return consumer;
  }

  private void run() {
    while (running) {
      int rc = reader.poll(POLL_TIMEOUT_MS);
      if (rc < 0 && rc != -4) { // -EINTR is a normal wake-up
        failure = new IllegalStateException("polling the ring buffer failed with " + rc);
        return;
      }
    }
  }

  /** The first exception thrown by the sink or the poll loop, or null. */
  public Throwable failure() {
    return failure;
  }

  /** Stops the thread, consumes what is left, frees the reader. Closing again does nothing. */
  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      reader.drain();
      reader.close();
    }
  }
}
