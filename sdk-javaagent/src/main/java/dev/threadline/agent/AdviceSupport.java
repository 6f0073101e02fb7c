package dev.threadline.agent;

import dev.threadline.agent.bootstrap.Instrumentations;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What every module needs to apply advice: advice classes are read from the agent's own class
 * loader (never loaded into the application's), and an exception thrown inside advice is
 * suppressed, logged once and disables the module.
 */
public final class AdviceSupport {
  private final ClassLoader agentLoader;
  private final Instrumentation instrumentation;
  private final Map<String, String> moduleOfType = new ConcurrentHashMap<>();

  AdviceSupport(ClassLoader agentLoader, Instrumentation instrumentation) {
    this.agentLoader = agentLoader;
    this.instrumentation = instrumentation;
  }

  /** An advice transformer for {@code module} whose failures are reported as that module's. */
  public AgentBuilder.Transformer.ForAdvice forAdvice(String module) {
    MethodDescription adviceFailed;
    try {
      adviceFailed =
          new MethodDescription.ForLoadedMethod(
              Instrumentations.class.getMethod("adviceFailed", Throwable.class, String.class));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    StackManipulation report =
        new StackManipulation.Compound(
            new TextConstant(module), MethodInvocation.invoke(adviceFailed));
    return new AgentBuilder.Transformer.ForAdvice()
        .include(agentLoader)
        .withExceptionHandler(new Advice.ExceptionHandler.Simple(report));
  }

  /**
   * Wraps a module's type matcher: it stops matching once the module is disabled, and remembers
   * which module matched a type so that a failure to transform it can be reported against the
   * module.
   */
  public ElementMatcher<TypeDescription> types(
      String module, ElementMatcher<? super TypeDescription> matcher) {
    return type -> {
      if (!Instrumentations.isEnabled(module) || !matcher.matches(type)) {
        return false;
      }
      moduleOfType.put(type.getName(), module);
      return true;
    };
  }

  /**
   * Matches class loaders that can see {@code className}, remembered per loader: modules for
   * libraries the application does not have then cost nothing per class.
   */
  public ElementMatcher<ClassLoader> loaderHas(String className) {
    String resource = className.replace('.', '/') + ".class";
    Map<ClassLoader, Boolean> answers =
        java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
    return loader -> {
      // The bootstrap loader never holds an application library.
      return loader != null
          && answers.computeIfAbsent(loader, l -> l.getResource(resource) != null);
    };
  }

  /** The module that matched {@code typeName}, if any. */
  String moduleOf(String typeName) {
    return moduleOfType.get(typeName);
  }

  /** For JDK classes in named modules: they must be able to read the agent's bootstrap classes. */
  public Instrumentation instrumentation() {
    return instrumentation;
  }
}
