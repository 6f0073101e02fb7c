package dev.threadline.agent.instrumentation.springwebflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.springwebflux.WebfluxServers;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Spring WebFlux 6: a SERVER span per request where WebFlux receives it ({@code
 * HttpWebHandlerAdapter.handle}, under Reactor Netty or any other server), ended when the response
 * is complete and named after the matched route; a CLIENT span per {@code WebClient} exchange,
 * through a filter added to every WebClient when it is built.
 */
public final class SpringWebfluxInstrumentation implements InstrumentationModule {
  private static final String ADAPTER =
      "org.springframework.web.server.adapter.HttpWebHandlerAdapter";
  private static final String WEB_CLIENT_BUILDER =
      "org.springframework.web.reactive.function.client.DefaultWebClientBuilder";

  @Override
  public String name() {
    return WebfluxServers.INSTRUMENTATION;
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(support.types(name(), named(ADAPTER)), support.loaderHas(ADAPTER))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("handle")
                        .and(takesArguments(2))
                        .and(
                            takesArgument(
                                0,
                                named(
                                    "org.springframework.http.server.reactive.ServerHttpRequest"))),
                    HandleAdvice.class.getName())
                .advice(
                    named("createExchange").and(takesArguments(2)),
                    CreateExchangeAdvice.class.getName()))
        .type(
            support.types(name(), named(WEB_CLIENT_BUILDER)), support.loaderHas(WEB_CLIENT_BUILDER))
        .transform(
            support
                .forAdvice(name())
                .advice(named("build").and(takesArguments(0)), BuildAdvice.class.getName()));
  }
}
