package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.context.Context;
import application.io.opentelemetry.context.propagation.TextMapGetter;
import application.io.opentelemetry.context.propagation.TextMapPropagator;
import application.io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collection;

/**
 * The agent's text-map propagator over application contexts and carriers: inject writes the agent's
 * span and baggage of the context, extract returns the context with what the headers said (other
 * application keys kept).
 */
final class BridgedTextMapPropagator implements TextMapPropagator {
  private final io.opentelemetry.context.propagation.TextMapPropagator agent;

  BridgedTextMapPropagator(io.opentelemetry.context.propagation.TextMapPropagator agent) {
    this.agent = agent;
  }

  @Override
  public Collection<String> fields() {
    return agent.fields();
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    if (context == null || setter == null) {
      return;
    }
    agent.inject(BridgedContext.agentContextOf(context), carrier, setter::set);
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    if (context == null) {
      context = Context.root();
    }
    if (getter == null) {
      return context;
    }
    BridgedContext base =
        context instanceof BridgedContext bridged
            ? bridged
            : BridgedContext.adopt(context, Spans.agentRoot());
    io.opentelemetry.context.Context extracted =
        agent.extract(base.agent, carrier, new Getter<>(getter));
    return new BridgedContext(extracted, base.application);
  }

  /** The application's getter as the agent's. */
  private static final class Getter<C>
      implements io.opentelemetry.context.propagation.TextMapGetter<C> {
    private final TextMapGetter<C> application;

    Getter(TextMapGetter<C> application) {
      this.application = application;
    }

    @Override
    public Iterable<String> keys(C carrier) {
      return application.keys(carrier);
    }

    @Override
    public String get(C carrier, String key) {
      return application.get(carrier, key);
    }
  }
}
