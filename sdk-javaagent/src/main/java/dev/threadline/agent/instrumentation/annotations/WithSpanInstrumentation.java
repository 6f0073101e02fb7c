package dev.threadline.agent.instrumentation.annotations;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.annotations.WithSpans;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * A span around every method annotated {@code
 * io.opentelemetry.instrumentation.annotations.WithSpan}, with its {@code @SpanAttribute}
 * parameters as attributes. The annotation classes belong to the application (the bootstrap loader
 * cannot see them): methods are matched by the annotation's name, and its values are read
 * reflectively.
 */
public final class WithSpanInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return WithSpans.INSTRUMENTATION;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(name(), declaresMethod(isAnnotatedWith(named(WithSpans.WITH_SPAN)))),
            support.loaderHas(WithSpans.WITH_SPAN))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    isAnnotatedWith(named(WithSpans.WITH_SPAN)).and(not(isAbstract())),
                    WithSpanAdvice.class.getName()));
  }
}
