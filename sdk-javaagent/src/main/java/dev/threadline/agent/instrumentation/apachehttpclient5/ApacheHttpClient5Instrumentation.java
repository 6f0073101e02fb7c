package dev.threadline.agent.instrumentation.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * CLIENT spans for Apache HttpClient 5 classic (and so Spring's {@code
 * HttpComponentsClientHttpRequestFactory}). Every {@code execute} overload ends in {@code
 * doExecute} of one of the two client implementations.
 */
public final class ApacheHttpClient5Instrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(
                name(),
                namedOneOf(
                    "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
                    "org.apache.hc.client5.http.impl.classic.MinimalHttpClient")),
            support.loaderHas("org.apache.hc.client5.http.impl.classic.InternalHttpClient"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("doExecute").and(takesArguments(3)), DoExecuteAdvice.class.getName()));
  }
}
