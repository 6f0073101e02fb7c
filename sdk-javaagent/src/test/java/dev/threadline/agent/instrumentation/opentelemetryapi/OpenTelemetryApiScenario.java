package dev.threadline.agent.instrumentation.opentelemetryapi;

import dev.threadline.agent.TargetServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * An application using its own OpenTelemetry API (the same version as the agent's): a span of its
 * own with a call inside, and a span context it got from elsewhere made current around another.
 * Prints what it saw.
 */
public final class OpenTelemetryApiScenario {
  static final String FOREIGN_TRACE = "7e1f0c9d2b3a4f5e6d7c8b9a0f1e2d3c";
  static final String FOREIGN_SPAN = "a1b2c3d4e5f60718";

  private OpenTelemetryApiScenario() {}

  public static void main(String[] args) throws Exception {
    System.out.println("isSet " + GlobalOpenTelemetry.isSet());
    GlobalOpenTelemetry.set(OpenTelemetry.noop());
    Tracer tracer =
        GlobalOpenTelemetry.tracerBuilder("scenario").setInstrumentationVersion("1.0").build();
    try (TargetServer server = new TargetServer()) {
      Span parent = tracer.spanBuilder("api-parent").setSpanKind(SpanKind.SERVER).startSpan();
      try (Scope scope = parent.makeCurrent()) {
        call(server.url("/ok"));
        tracer.spanBuilder("api-child").setAttribute("answer", 42L).startSpan().end();
      } finally {
        parent.end();
      }

      SpanContext foreign =
          SpanContext.createFromRemoteParent(
              FOREIGN_TRACE, FOREIGN_SPAN, TraceFlags.getSampled(), TraceState.getDefault());
      Span wrapped = Span.wrap(foreign);
      try (Scope scope = wrapped.makeCurrent()) {
        System.out.println("foreign span current " + (Span.current() == wrapped));
        call(server.url("/fail"));
      }
    }
    System.out.println("current after " + Span.current().getSpanContext().isValid());
    System.out.println("scenario done");
  }

  private static void call(String url) throws Exception {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    System.out.println("status " + connection.getResponseCode());
    connection.disconnect();
  }
}
