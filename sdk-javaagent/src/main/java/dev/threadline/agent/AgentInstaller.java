package dev.threadline.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.threadline.agent.bootstrap.AgentCallers;
import dev.threadline.agent.bootstrap.AgentLog;
import dev.threadline.agent.bootstrap.AgentTracing;
import dev.threadline.agent.bootstrap.ContextSwitch;
import dev.threadline.agent.bootstrap.Instrumentations;
import dev.threadline.agent.bootstrap.executors.VirtualThreadCarriers;
import dev.threadline.agent.bootstrap.jdbc.JdbcSpans;
import dev.threadline.sdk.Threadline;
import dev.threadline.sdk.ThreadlineBuilder;
import dev.threadline.sdk.context.ContextSwitchHook;
import dev.threadline.sdk.context.ThreadContextPublisher;
import io.opentelemetry.context.Context;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Runs in the agent's class loader: starts the SDK, then installs every enabled instrumentation.
 * The instrumentations are the {@link InstrumentationModule}s listed in {@code
 * META-INF/services/dev.threadline.agent.InstrumentationModule}, found with {@link ServiceLoader}
 * through the agent's class loader.
 */
public final class AgentInstaller {
  private AgentInstaller() {}

  public static void install(
      Instrumentation instrumentation, String arguments, ClassLoader agentLoader) {
    AgentArguments settings = AgentArguments.parse(arguments);
    AgentLog.setLevel(settings.get("threadline.agent.log.level"));
    String switchedOffBy = settings.agentSwitchedOffBy();
    if (switchedOffBy != null) {
      AgentLog.info(
          "the agent is switched off by "
              + switchedOffBy
              + "=false; the application runs without tracing");
      return;
    }
    AgentLogging.routeSdkLogsToAgentLog();
    AgentCallers.setAgentLoader(agentLoader);

    ThreadlineBuilder builder = Threadline.builder();
    settings.forEach(builder::setProperty);
    // JDBC spans are CLIENT spans without HTTP attributes: the RED metrics need not read them.
    builder.addNonHttpInstrumentationScope(AgentTracing.scopeName(JdbcSpans.INSTRUMENTATION));
    Threadline threadline = builder.install();
    AgentTracing.set(threadline.openTelemetry());
    ContextSwitch.use(ContextSwitchHook::switchTo);
    publishVirtualThreadsOnCarriers();

    List<InstrumentationModule> enabled = new ArrayList<>();
    for (InstrumentationModule module :
        ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
      if (settings.enabled(module.name(), module.enabledByDefault())) {
        enabled.add(module);
      } else {
        Instrumentations.disable(module.name());
        AgentLog.info("instrumentation '" + module.name() + "' is switched off by setting");
      }
    }

    AdviceSupport support = new AdviceSupport(agentLoader, instrumentation);
    AgentBuilder agentBuilder =
        new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new TypePoolCache())
            .with(new FailureListener(support))
            .ignore(ownAndToolingTypes())
            .or(jdkTypesWeDoNotInstrument(enabled));
    for (InstrumentationModule module : enabled) {
      agentBuilder = module.extend(agentBuilder, support);
    }
    agentBuilder.installOn(instrumentation);
    AgentLog.info("Threadline agent started with " + enabled.size() + " instrumentations");
  }

  /**
   * When thread context is published for the kernel: a mounted virtual thread's context goes into
   * its carrier's slot (the mount hooks of the executors module say which carrier).
   */
  private static void publishVirtualThreadsOnCarriers() {
    ThreadContextPublisher publisher = ThreadContextPublisher.shared();
    if (publisher == null || !publisher.isActive()) {
      return;
    }
    publisher.setCarrierLocator(VirtualThreadCarriers::carrierOfCurrent);
    VirtualThreadCarriers.setListener(
        new VirtualThreadCarriers.Listener() {
          @Override
          public void mounted(Thread carrier) {
            publisher.publishOnCarrier(carrier, Context.current());
          }

          @Override
          public void unmounting(Thread carrier) {
            publisher.restoreCarrier(carrier);
          }
        });
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
   * JDK classes are left alone except the few an enabled module instruments on purpose (HTTP
   * clients; the JDK's executors, threads and CompletableFuture, where tasks change threads): each
   * module names its own through {@link InstrumentationModule#instrumentsJdkType}.
   */
  private static AgentBuilder.RawMatcher jdkTypesWeDoNotInstrument(
      List<InstrumentationModule> modules) {
    return (type, loader, module, classBeingRedefined, protectionDomain) ->
        (loader == null || loader == ClassLoader.getPlatformClassLoader())
            && !instrumentedJdkType(modules, type.getName());
  }

  private static boolean instrumentedJdkType(List<InstrumentationModule> modules, String name) {
    for (InstrumentationModule module : modules) {
      if (module.instrumentsJdkType(name)) {
        return true;
      }
    }
    return false;
  }
}
