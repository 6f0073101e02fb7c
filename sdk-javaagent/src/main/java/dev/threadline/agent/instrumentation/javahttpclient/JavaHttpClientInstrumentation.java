package dev.threadline.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * CLIENT spans for {@code java.net.http.HttpClient}, sync and async (and so Spring's {@code
 * JdkClientHttpRequestFactory}). The request is immutable: advice replaces it by a copy with the
 * trace headers.
 */
public final class JavaHttpClientInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "java-http-client";
  }

  @Override
  public boolean instrumentsJdkType(String className) {
    return className.startsWith("jdk.internal.net.http.");
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(support.types(name(), named("jdk.internal.net.http.HttpClientImpl")))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("send").and(isPublic()).and(takesArguments(2)),
                    RequestAdvice.class.getName(),
                    SendAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("sendAsync").and(isPublic()).and(takesArguments(3)),
                    RequestAdvice.class.getName(),
                    SendAsyncAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), ClientSpans.class);
  }
}
