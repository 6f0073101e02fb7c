package dev.threadline.agent.bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's internals from the {@code inst/} folder of the agent jar, where classes are
 * stored as {@code .classdata}: invisible to every other class loader, so the agent's OpenTelemetry
 * SDK, ByteBuddy and Micrometer never meet the application's. Its parent is the platform loader,
 * through which it also sees the bootstrap part of the agent. Other resources are served from
 * {@code inst/} too, among them {@code META-INF/services/*}, through which the installer finds the
 * instrumentation modules.
 */
public final class AgentClassLoader extends ClassLoader {
  private static final String PREFIX = "inst/";

  static {
    registerAsParallelCapable();
  }

  private final JarFile jar;
  private final String jarUrl;
  private final ProtectionDomain protectionDomain;

  public AgentClassLoader(File jarFile) throws IOException {
    super("threadline-agent", ClassLoader.getPlatformClassLoader());
    this.jar = new JarFile(jarFile, false);
    this.jarUrl = "jar:" + jarFile.toURI() + "!/";
    URL location = jarFile.toURI().toURL();
    this.protectionDomain =
        new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = classBytes(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    definePackageOf(name);
    return defineClass(name, bytes, 0, bytes.length, protectionDomain);
  }

  /**
   * The bytecode of {@code className} as stored in {@code inst/}, or {@code null}: the source of
   * {@link HelperClasses}.
   */
  public byte[] classBytes(String className) {
    JarEntry entry = jar.getJarEntry(PREFIX + className.replace('.', '/') + ".classdata");
    if (entry == null) {
      return null;
    }
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  private void definePackageOf(String className) {
    int dot = className.lastIndexOf('.');
    if (dot > 0) {
      String packageName = className.substring(0, dot);
      if (getDefinedPackage(packageName) == null) {
        try {
          definePackage(packageName, null, null, null, null, null, null, null);
        } catch (IllegalArgumentException e) {
          // Defined concurrently by another thread: fine.
        }
      }
    }
  }

  @Override
  protected URL findResource(String name) {
    // Class files are stored as .classdata; ByteBuddy reads advice bytecode through resources by
    // the .class name.
    String entry = PREFIX + (name.endsWith(".class") ? name + "data" : name);
    if (jar.getJarEntry(entry) == null) {
      return null;
    }
    try {
      return new URL(jarUrl + entry);
    } catch (MalformedURLException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null
        ? Collections.emptyEnumeration()
        : Collections.enumeration(Collections.singleton(url));
  }
}
