package dev.threadline.agent.instrumentation.log4j;

import static dev.threadline.agent.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Trace ids in Log4j2's context data (what {@code %X{trace_id}} and layouts read): every {@code
 * ContextDataInjector.injectContextData} (Log4j's own for each thread-context map, and any
 * application's) returns its map with the current span's ids. Log4j 2.7+ (Spring Boot 3 manages
 * 2.24).
 */
public final class Log4jContextDataInstrumentation implements InstrumentationModule {
  static final String NAME = "log4j-context-data";
  private static final String INJECTOR = "org.apache.logging.log4j.core.ContextDataInjector";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(name(), not(isInterface()).and(hasSuperTypeNamed(INJECTOR))),
            support.loaderHas(INJECTOR))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("injectContextData").and(takesArguments(2)).and(not(isAbstract())),
                    InjectContextDataAdvice.class.getName()));
  }
}
