package dev.threadline.bridge.context;

import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ThreadContextPublisher;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The traced process of {@link ThreadChurnTest}: publishes its threads' trace context, waits for
 * "go" on stdin, then starts {@code threads} short-lived threads, {@code parallel} at a time. Each
 * writes one line to the test's socket, in one syscall: even-numbered ones inside a span of their
 * own ("S &lt;trace id&gt; &lt;span id&gt;"), odd ones outside any ("N"); every fourth one ends
 * with its span still current, so its slot keeps a valid record after it is gone. On a machine
 * whose tids wrap around (pid_max), new threads reuse the tids of dead ones, whose slots still hold
 * their last records: exactly what the kernel must not take for the new thread's context.
 *
 * <p>Arguments: port, threads, parallel, region directory. It exits on a second line on stdin.
 */
public final class ThreadChurnApp {
  private ThreadChurnApp() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threads = Integer.parseInt(args[1]);
    int parallel = Integer.parseInt(args[2]);
    ContextSwitchHook.install();
    ThreadContextPublisher publisher = ThreadContextPublisher.open(Path.of(args[3]), 4096);
    if (!publisher.isActive()) {
      throw new IllegalStateException("no thread-context region");
    }
    ContextSwitchHook.addListener(publisher);
    // A processor that keeps nothing: with none at all, the SDK hands out non-recording spans
    // without ids.
    Tracer tracer =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new DiscardingExporter()))
            .build()
            .get("churn");
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    in.readLine(); // go
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      for (int started = 0; started < threads; ) {
        List<Thread> batch = new ArrayList<>(parallel);
        for (int k = 0; k < parallel && started < threads; k++, started++) {
          boolean inSpan = started % 2 == 0;
          boolean diesInSpan = started % 4 == 2;
          Thread t = new Thread(() -> write(out, tracer, inSpan, diesInSpan), "churn-" + started);
          batch.add(t);
          t.start();
        }
        for (Thread t : batch) {
          t.join();
        }
      }
      synchronized (out) {
        out.write("END\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    System.out.println("claims " + publisher.claims() + " full " + publisher.full());
    System.out.flush();
    in.readLine(); // exit: the test has looked at the region, which goes with this process
  }

  /** Ends spans without sending them anywhere. */
  private static final class DiscardingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  private static void write(OutputStream out, Tracer tracer, boolean inSpan, boolean diesInSpan) {
    try {
      if (!inSpan) {
        send(out, "N\n");
        return;
      }
      Span span = tracer.spanBuilder("churn").startSpan();
      if (diesInSpan) {
        // Ends with its span still current: its slot keeps a valid record after it is gone.
        span.makeCurrent();
        send(out, inSpan(span));
        return;
      }
      try (Scope ignored = span.makeCurrent()) {
        send(out, inSpan(span));
      } finally {
        span.end();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The line of a write made inside {@code span}: "S <trace id> <span id>". */
  private static String inSpan(Span span) {
    return "S "
        + span.getSpanContext().getTraceId()
        + " "
        + span.getSpanContext().getSpanId()
        + "\n";
  }

  private static void send(OutputStream out, String line) throws Exception {
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
    synchronized (out) {
      out.write(bytes); // one write(2) of the whole line, on this thread
    }
  }
}
