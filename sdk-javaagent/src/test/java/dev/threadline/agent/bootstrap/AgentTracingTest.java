package dev.threadline.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentTracingTest {
  @AfterEach
  void reset() {
    AgentTracing.set(OpenTelemetry.noop());
  }

  @Test
  void eachInstrumentationsTracerIsLookedUpOncePerInstance() {
    Recording first = new Recording();
    AgentTracing.set(first);
    Tracer jdbc = AgentTracing.tracer("jdbc");
    assertThat(AgentTracing.tracer("jdbc")).isSameAs(jdbc);
    AgentTracing.tracer("servlet");
    AgentTracing.tracer("servlet");
    assertThat(first.lookups).containsExactly("dev.threadline.jdbc", "dev.threadline.servlet");

    Recording second = new Recording();
    AgentTracing.set(second);
    AgentTracing.tracer("jdbc");
    assertThat(second.lookups).containsExactly("dev.threadline.jdbc");
    assertThat(AgentTracing.openTelemetry()).isSameAs(second);
  }

  /** An OpenTelemetry that notes each tracer lookup. */
  private static final class Recording implements OpenTelemetry {
    final List<String> lookups = new ArrayList<>();

    @Override
    public TracerProvider getTracerProvider() {
      return new TracerProvider() {
        @Override
        public Tracer get(String name) {
          lookups.add(name);
          return TracerProvider.noop().get(name);
        }

        @Override
        public Tracer get(String name, String version) {
          return get(name);
        }
      };
    }

    @Override
    public ContextPropagators getPropagators() {
      return ContextPropagators.noop();
    }
  }
}
