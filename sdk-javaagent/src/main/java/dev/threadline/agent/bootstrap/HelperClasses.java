package dev.threadline.agent.bootstrap;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Function;

/**
 * Defines an instrumentation's helper classes — the ones that implement or extend an application
 * library's types (a Reactor subscriber, a WebClient filter, the application's OpenTelemetry
 * interfaces) — in a child loader of the application's class loader. There they see the library
 * (through the parent) and the agent's bootstrap part, and nothing else of the agent. Advice cannot
 * name a helper type (its class is not visible to the class it is inlined into): it asks for the
 * class or an instance here and casts it to the library's interface.
 *
 * <p>Helpers live in a package whose last segment is {@code helpers} under {@code
 * dev.threadline.agent.instrumentation}; no other agent class is ever defined next to the
 * application. There is one helper loader per application loader; it lives while any of its
 * classes' instances is reachable, and never keeps the application's loader alive on its own.
 */
public final class HelperClasses {
  private static final String PACKAGE_PREFIX = "dev.threadline.agent.instrumentation.";

  private static final Map<ClassLoader, WeakReference<HelperClassLoader>> loaders =
      new WeakHashMap<>();
  private static volatile Function<String, byte[]> classBytes = name -> null;

  private HelperClasses() {}

  /** Where helper bytecode comes from: the agent jar's {@code inst/} folder, set at start. */
  public static void setSource(Function<String, byte[]> source) {
    classBytes = source;
  }

  /**
   * The helper class {@code name}, defined for {@code applicationLoader} (loaded once per loader).
   *
   * @throws IllegalArgumentException if {@code name} is not in a {@code helpers} package
   * @throws ClassNotFoundException if the agent has no such helper
   */
  public static Class<?> load(ClassLoader applicationLoader, String name)
      throws ClassNotFoundException {
    if (!isHelper(name)) {
      throw new IllegalArgumentException("not a helper class: " + name);
    }
    return Class.forName(name, true, loaderFor(applicationLoader));
  }

  /** A new instance of the helper class {@code name}, through its no-argument constructor. */
  public static Object newInstance(ClassLoader applicationLoader, String name)
      throws ReflectiveOperationException {
    return load(applicationLoader, name).getDeclaredConstructor().newInstance();
  }

  static boolean isHelper(String name) {
    int lastDot = name.lastIndexOf('.');
    return name.startsWith(PACKAGE_PREFIX)
        && lastDot > 0
        && name.substring(0, lastDot).endsWith(".helpers");
  }

  static byte[] bytesOf(String name) {
    return classBytes.apply(name);
  }

  private static synchronized HelperClassLoader loaderFor(ClassLoader applicationLoader) {
    WeakReference<HelperClassLoader> reference = loaders.get(applicationLoader);
    HelperClassLoader loader = reference == null ? null : reference.get();
    if (loader == null) {
      loader = new HelperClassLoader(applicationLoader);
      loaders.put(applicationLoader, new WeakReference<>(loader));
    }
    return loader;
  }
}
