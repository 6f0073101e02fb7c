package dev.threadline.bridge.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the project version the build filtered into {@code version.properties}, or the
 * jar's {@code Implementation-Version} when that resource is missing.
 */
final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"threadline-bridge " + version()};
  }

  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("version");
    if (version == null || version.startsWith("${")) {
      version = Version.class.getPackage().getImplementationVersion();
    }
    return version == null ? "(unknown version)" : version;
  }
}
