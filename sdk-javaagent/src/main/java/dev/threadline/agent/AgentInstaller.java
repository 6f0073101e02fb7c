package dev.threadline.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.threadline.agent.bootstrap.AgentCallers;
import dev.threadline.agent.bootstrap.AgentLog;
import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.ServerSpans;
import dev.threadline.agent.instrumentation.apachehttpclient5.ApacheHttpClient5Instrumentation;
import dev.threadline.agent.instrumentation.executors.ExecutorsInstrumentation;
import dev.threadline.agent.instrumentation.executors.ThreadStartInstrumentation;
import dev.threadline.agent.instrumentation.httpurlconnection.HttpUrlConnectionInstrumentation;
import dev.threadline.agent.instrumentation.javahttpclient.JavaHttpClientInstrumentation;
import dev.threadline.agent.instrumentation.jdbc.JdbcInstrumentation;
import dev.threadline.agent.instrumentation.servlet.ServletInstrumentation;
import dev.threadline.agent.instrumentation.springwebmvc.SpringWebMvcInstrumentation;
import dev.threadline.sdk.Threadline;
import dev.threadline.sdk.ThreadlineBuilder;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Runs in the agent's class loader: starts the SDK, then installs every enabled instrumentation.
 */
public final class AgentInstaller {
  private static final List<InstrumentationModule> MODULES =
      List.of(
          new ServletInstrumentation(),
          new SpringWebMvcInstrumentation(),
          new HttpUrlConnectionInstrumentation(),
          new JavaHttpClientInstrumentation(),
          new ApacheHttpClient5Instrumentation(),
          new JdbcInstrumentation(),
          new ExecutorsInstrumentation(),
          new ThreadStartInstrumentation());

  private AgentInstaller() {}

  public static void install(
      Instrumentation instrumentation, String arguments, ClassLoader agentLoader) {
    AgentArguments settings = AgentArguments.parse(arguments);
    AgentLog.setLevel(settings.get("threadline.agent.log.level"));
    AgentLogging.routeSdkLogsToAgentLog();
    AgentCallers.setAgentLoader(agentLoader);

    ThreadlineBuilder builder = Threadline.builder();
    settings.forEach(builder::setProperty);
    Threadline threadline = builder.install();
    AgentTracing.set(threadline.openTelemetry());
    ServerSpans.resetPropagationHeaders();

    AdviceSupport support = new AdviceSupport(agentLoader, instrumentation);
    AgentBuilder agentBuilder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new TypePoolCache())
            .with(new FailureListener(support))
            .ignore(ownAndToolingTypes())
            .or(jdkTypesWeDoNotInstrument());
    int installed = 0;
    for (InstrumentationModule module : MODULES) {
      if (settings.enabled(module.name(), module.enabledByDefault())) {
        agentBuilder = module.extend(agentBuilder, support);
        installed++;
      } else {
        Instrumentations.disable(module.name());
        AgentLog.info("instrumentation '" + module.name() + "' is switched off by setting");
      }
    }
    agentBuilder.installOn(instrumentation);
    AgentLog.info("Threadline agent started with " + installed + " instrumentations");
  }

  private static ElementMatcher.Junction<TypeDescription> ownAndToolingTypes() {
    return nameStartsWith("dev.threadline.agent.")
        .or(nameStartsWith("net.bytebuddy."))
        .or(nameStartsWith("jdk.internal.reflect."))
        .or(nameStartsWith("sun.reflect."))
        .or(nameStartsWith("java.lang.invoke."))
        .or(isSynthetic());
  }

  /**
   * JDK classes are left alone except the few instrumented on purpose: HTTP clients, and the JDK's
   * executors, threads and CompletableFuture, where tasks change threads.
   */
  private static AgentBuilder.RawMatcher jdkTypesWeDoNotInstrument() {
    return (type, loader, module, classBeingRedefined, protectionDomain) ->
        (loader == null || loader == ClassLoader.getPlatformClassLoader())
            && !instrumentedJdkType(type.getName());
  }

  private static boolean instrumentedJdkType(String name) {
    return name.startsWith("sun.net.www.protocol.http.")
        || name.startsWith("jdk.internal.net.http.")
        || name.startsWith(ExecutorsInstrumentation.JDK_PACKAGE)
        || name.equals("java.lang.Thread")
        || name.equals("java.lang.VirtualThread");
  }
}
