package dev.threadline.agent.bootstrap;

/**
 * The child of one application class loader that defines the agent's helper classes for it: helper
 * names are defined here from the agent jar, every other name is asked of the application's loader
 * (which also reaches the agent's bootstrap part).
 */
final class HelperClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  HelperClassLoader(ClassLoader applicationLoader) {
    super("threadline-helpers", applicationLoader);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!HelperClasses.isHelper(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> loaded = findLoadedClass(name);
      if (loaded == null) {
        loaded = findClass(name);
      }
      if (resolve) {
        resolveClass(loaded);
      }
      return loaded;
    }
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = HelperClasses.bytesOf(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
