package dev.threadline.agent.instrumentation.servlet;

import static dev.threadline.agent.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.http.ServerSpans;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * SERVER spans for jakarta.servlet 5/6 containers (Tomcat, Jetty, Undertow): the outermost filter
 * or servlet that sees a request starts its span; nested ones see the request attribute and stay
 * out.
 */
public final class ServletInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "servlet";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    // The propagators are known now (the SDK is installed): the header names are read again.
    ServerSpans.resetPropagationHeaders();
    return builder
        .type(
            support.types(
                name(), not(isInterface()).and(hasSuperTypeNamed("jakarta.servlet.Filter"))),
            support.loaderHas("jakarta.servlet.Servlet"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("doFilter")
                        .and(isPublic())
                        .and(takesArguments(3))
                        .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))),
                    ServletAdvice.class.getName()))
        .type(
            support.types(
                name(), not(isInterface()).and(hasSuperTypeNamed("jakarta.servlet.Servlet"))),
            support.loaderHas("jakarta.servlet.Servlet"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("service")
                        .and(isPublic())
                        .and(takesArguments(2))
                        .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))),
                    ServletAdvice.class.getName()));
  }
}
