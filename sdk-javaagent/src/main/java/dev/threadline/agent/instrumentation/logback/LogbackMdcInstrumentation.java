package dev.threadline.agent.instrumentation.logback;

import static net.bytebuddy.matcher.ElementMatchers.declaresField;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Trace ids in Logback's MDC: {@code LoggingEvent.getMDCPropertyMap}, which fills the event's MDC
 * map once from the logging thread's MDC, returns (and keeps) a copy with the current span's ids.
 * Logback 1.x (Spring Boot 3 ships 1.5).
 */
public final class LogbackMdcInstrumentation implements InstrumentationModule {
  static final String NAME = "logback-mdc";
  private static final String EVENT = "ch.qos.logback.classic.spi.LoggingEvent";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(name(), named(EVENT).and(declaresField(named("mdcPropertyMap")))),
            support.loaderHas(EVENT))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("getMDCPropertyMap").and(takesArguments(0)),
                    MdcPropertyMapAdvice.class.getName()));
  }
}
