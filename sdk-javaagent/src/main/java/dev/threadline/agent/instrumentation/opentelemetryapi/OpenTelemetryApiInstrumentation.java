package dev.threadline.agent.instrumentation.opentelemetryapi;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.opentelemetryapi.ApplicationApiBridge;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Bridges the application's own {@code io.opentelemetry:opentelemetry-api} (any 1.x) to the
 * agent's: {@code GlobalOpenTelemetry.get()} returns an OpenTelemetry whose tracers make agent
 * spans and whose propagators are the agent's, and {@code ContextStorage.get()} returns a storage
 * backed by the agent's context, so {@code Context.current()}, {@code Span.current()} and {@code
 * Baggage.current()} see the agent's spans and baggage, and what the application makes current the
 * agent's instrumentations see too (spans of an SDK the application builds itself included).
 *
 * <p>The names below are written {@code application.io.opentelemetry}: the agent's build relocates
 * {@code io.opentelemetry} to its own copy and maps {@code application.io.opentelemetry} back to
 * the application's {@code io.opentelemetry}.
 */
public final class OpenTelemetryApiInstrumentation implements InstrumentationModule {
  private static final String GLOBAL = "application.io.opentelemetry.api.GlobalOpenTelemetry";
  private static final String OPEN_TELEMETRY = "application.io.opentelemetry.api.OpenTelemetry";
  private static final String CONTEXT_STORAGE =
      "application.io.opentelemetry.context.ContextStorage";

  @Override
  public String name() {
    return ApplicationApiBridge.MODULE;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(support.types(name(), named(GLOBAL)), support.loaderHas(GLOBAL))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    isStatic()
                        .and(namedOneOf("get", "getOrNoop"))
                        .and(takesArguments(0))
                        .and(returns(named(OPEN_TELEMETRY))),
                    GlobalGetAdvice.class.getName())
                .advice(
                    isStatic().and(named("set")).and(takesArguments(1)),
                    GlobalSetAdvice.class.getName())
                .advice(
                    isStatic().and(named("isSet")).and(takesArguments(0)),
                    GlobalIsSetAdvice.class.getName()))
        .type(support.types(name(), named(CONTEXT_STORAGE)), support.loaderHas(CONTEXT_STORAGE))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    isStatic()
                        .and(named("get"))
                        .and(takesArguments(0))
                        .and(returns(named(CONTEXT_STORAGE))),
                    ContextStorageGetAdvice.class.getName()));
  }
}
