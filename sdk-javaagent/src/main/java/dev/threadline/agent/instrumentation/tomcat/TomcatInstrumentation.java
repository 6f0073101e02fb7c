package dev.threadline.agent.instrumentation.tomcat;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Tomcat's connector: the SERVER span the servlet instrumentation starts stays open, and current,
 * while Tomcat writes the end of the response after the servlet returned ({@code
 * Response.finishResponse}, where small bodies leave the buffer), and ends when {@code
 * CoyoteAdapter.service} is done with the request. Without it the response's bytes would leave
 * outside any span.
 */
public final class TomcatInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "tomcat";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(name(), named("org.apache.catalina.connector.CoyoteAdapter")),
            support.loaderHas("org.apache.catalina.connector.CoyoteAdapter"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("service").and(takesArguments(2)), AdapterServiceAdvice.class.getName()))
        .type(
            support.types(name(), named("org.apache.catalina.connector.Response")),
            support.loaderHas("org.apache.catalina.connector.Response"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("finishResponse").and(takesArguments(0)),
                    FinishResponseAdvice.class.getName()));
  }
}
