package dev.threadline.agent.instrumentation.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.http.ClientSpans;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * CLIENT spans for {@code HttpURLConnection} (and so Spring's {@code
 * SimpleClientHttpRequestFactory}, the default of {@code new RestTemplate()}). The JDK's
 * implementation class is instrumented; it lives in java.base, so it is given a read edge to the
 * agent's bootstrap classes.
 */
public final class HttpUrlConnectionInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "http-url-connection";
  }

  @Override
  public boolean instrumentsJdkType(String className) {
    return className.startsWith("sun.net.www.protocol.http.");
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(support.types(name(), named("sun.net.www.protocol.http.HttpURLConnection")))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf("connect", "getOutputStream", "getInputStream")
                        .and(takesArguments(0)),
                    StartAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(named("getInputStream").and(takesArguments(0)), EndAdvice.class.getName()))
        .assureReadEdgeTo(support.instrumentation(), ClientSpans.class);
  }
}
