package dev.threadline.agent.instrumentation.opentelemetryapi.helpers;

import application.io.opentelemetry.api.baggage.Baggage;
import application.io.opentelemetry.api.trace.Span;
import application.io.opentelemetry.context.Context;
import application.io.opentelemetry.context.ContextKey;
import dev.threadline.agent.instrumentation.opentelemetryapi.helpers.AgentKeys.Mirror;

/**
 * An application context over an agent context: the span and baggage keys of the application's API
 * read and write the agent's span and baggage; every other key lives in the application-side
 * context. A span or baggage the application puts in that the agent did not make is kept beside the
 * agent value standing in for it, so the application reads back its own object.
 */
final class BridgedContext implements Context {
  final io.opentelemetry.context.Context agent;
  final Context application;

  BridgedContext(io.opentelemetry.context.Context agent, Context application) {
    this.agent = agent;
    this.application = application;
  }

  /** The agent context to make current for {@code context}, with its application side in it. */
  static io.opentelemetry.context.Context agentContextOf(Context context) {
    BridgedContext bridged =
        context instanceof BridgedContext b ? b : adopt(context, Spans.agentRoot());
    return bridged.toAgentContext();
  }

  /**
   * A context of the application's API that the bridge did not make (from before the bridge was
   * ready, or from an API older than 1.5 whose root context is not the storage's), mapped over
   * {@code agentBase}.
   */
  static BridgedContext adopt(Context raw, io.opentelemetry.context.Context agentBase) {
    Context bridged = new BridgedContext(agentBase, raw);
    Span span = raw.get(ApplicationKeys.SPAN);
    if (span != null) {
      bridged = bridged.with(ApplicationKeys.SPAN, span);
    }
    Baggage baggage = raw.get(ApplicationKeys.BAGGAGE);
    if (baggage != null) {
      bridged = bridged.with(ApplicationKeys.BAGGAGE, baggage);
    }
    return (BridgedContext) bridged;
  }

  io.opentelemetry.context.Context toAgentContext() {
    Context stored = agent.get(AgentKeys.APPLICATION_CONTEXT);
    if (stored == application
        || (stored == null && BridgedContextStorage.isApplicationRoot(application))) {
      return agent;
    }
    return agent.with(AgentKeys.APPLICATION_CONTEXT, application);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> V get(ContextKey<V> key) {
    if (key == ApplicationKeys.SPAN) {
      return (V) span();
    }
    if (key == ApplicationKeys.BAGGAGE) {
      return (V) baggage();
    }
    return application.get(key);
  }

  @Override
  public <V> Context with(ContextKey<V> key, V value) {
    if (key == ApplicationKeys.SPAN) {
      return withSpan((Span) value);
    }
    if (key == ApplicationKeys.BAGGAGE) {
      return withBaggage((Baggage) value);
    }
    return new BridgedContext(agent, application.with(key, value));
  }

  private Span span() {
    io.opentelemetry.api.trace.Span agentSpan =
        io.opentelemetry.api.trace.Span.fromContextOrNull(agent);
    if (agentSpan == null) {
      return null;
    }
    Mirror mirror = agent.get(AgentKeys.SPAN);
    if (mirror != null && mirror.agent() == agentSpan) {
      return (Span) mirror.application();
    }
    return Spans.toApplication(agentSpan);
  }

  private Context withSpan(Span span) {
    io.opentelemetry.api.trace.Span agentSpan = Spans.toAgent(span);
    io.opentelemetry.context.Context next = agent.with(agentSpan);
    if (span != null && !(span instanceof BridgedSpan) && span.getSpanContext().isValid()) {
      next = next.with(AgentKeys.SPAN, new Mirror(span, agentSpan));
    }
    return new BridgedContext(next, application);
  }

  private Baggage baggage() {
    io.opentelemetry.api.baggage.Baggage agentBaggage =
        io.opentelemetry.api.baggage.Baggage.fromContextOrNull(agent);
    if (agentBaggage == null) {
      return null;
    }
    Mirror mirror = agent.get(AgentKeys.BAGGAGE);
    if (mirror != null && mirror.agent() == agentBaggage) {
      return (Baggage) mirror.application();
    }
    return Baggages.toApplication(agentBaggage);
  }

  private Context withBaggage(Baggage baggage) {
    io.opentelemetry.api.baggage.Baggage agentBaggage = Baggages.toAgent(baggage);
    io.opentelemetry.context.Context next = agent.with(agentBaggage);
    if (baggage != null) {
      next = next.with(AgentKeys.BAGGAGE, new Mirror(baggage, agentBaggage));
    }
    return new BridgedContext(next, application);
  }

  @Override
  public String toString() {
    return "BridgedContext{agent=" + agent + ", application=" + application + "}";
  }
}
