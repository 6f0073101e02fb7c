package dev.threadline.agent.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.reactor.ReactorContexts;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Reactor 3.4+: installs, once per application class loader (when {@code Hooks} is initialised, and
 * again after {@code Hooks.resetOnEachOperator()}), an operator hook that makes each subscription's
 * OpenTelemetry context current around the signals it delivers, whichever thread they arrive on.
 */
public final class ReactorInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return ReactorContexts.INSTRUMENTATION;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(name(), named("reactor.core.publisher.Hooks")),
            support.loaderHas("reactor.core.publisher.Hooks"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    isTypeInitializer().or(named("resetOnEachOperator").and(takesArguments(0))),
                    HooksAdvice.class.getName()));
  }
}
