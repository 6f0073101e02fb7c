package dev.threadline.agent.instrumentation.springwebmvc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InstrumentationModule;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Spring Web MVC: names the request's SERVER span after the matched pattern ({@code GET
 * /items/{id}}, with {@code http.route}) and wraps the controller method in an INTERNAL span
 * ({@code ItemController.item}).
 */
public final class SpringWebMvcInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "spring-webmvc";
  }

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            support.types(
                name(),
                named("org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter")),
            support.loaderHas("org.springframework.web.servlet.DispatcherServlet"))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    named("handle").and(takesArguments(3)), HandlerAdapterAdvice.class.getName()));
  }
}
