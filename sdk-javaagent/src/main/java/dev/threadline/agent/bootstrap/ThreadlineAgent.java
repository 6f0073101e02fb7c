package dev.threadline.agent.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The {@code -javaagent} entry point. It puts the small bootstrap part of the agent on the
 * bootstrap class path, loads everything else through {@link AgentClassLoader} and hands over to
 * the installer there. If anything fails, the application starts without tracing and one line says
 * why.
 */
public final class ThreadlineAgent {
  private static final String INSTALLER = "dev.threadline.agent.AgentInstaller";

  private ThreadlineAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  private static void start(String arguments, Instrumentation instrumentation) {
    try {
      File jar =
          new File(
              ThreadlineAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      AgentClassLoader agentLoader = new AgentClassLoader(jar);
      HelperClasses.setSource(agentLoader::classBytes);
      agentLoader
          .loadClass(INSTALLER)
          .getMethod("install", Instrumentation.class, String.class, ClassLoader.class)
          .invoke(null, instrumentation, arguments, agentLoader);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println(
          "[threadline] the agent could not start; the application runs without tracing: " + cause);
    }
  }
}
