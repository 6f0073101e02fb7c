package dev.threadline.agent.instrumentation.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.ClientSpans;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * CLIENT spans for {@code java.net.http.HttpClient}, sync and async (and so Spring's {@code
 * JdkClientHttpRequestFactory}). The request is immutable: advice replaces it by a copy with the
 * trace headers.
 */
public final class JavaHttpClientInstrumentation implements InstrumentationModule {
  private static final String REQUEST =
      "dev.threadline.agent.instrumentation.javahttpclient.RequestAdvice";

  @Override
  public String name() {
    return "java-http-client";
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
                    REQUEST,
                    "dev.threadline.agent.instrumentation.javahttpclient.SendAdvice"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("sendAsync").and(isPublic()).and(takesArguments(3)),
                    REQUEST,
                    "dev.threadline.agent.instrumentation.javahttpclient.SendAsyncAdvice"))
        .assureReadEdgeTo(support.instrumentation(), ClientSpans.class);
  }
}
