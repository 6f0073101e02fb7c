package dev.threadline.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HelperClassesTest {
  private static final String PROBE =
      "dev.threadline.agent.instrumentation.testing.helpers.DriverProbe";

  private URLClassLoader application;

  @BeforeEach
  void setUp() {
    // An application loader with H2 on it, not delegating to the test's class path.
    URL h2 = org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation();
    application = new URLClassLoader(new URL[] {h2}, ClassLoader.getPlatformClassLoader());
    HelperClasses.setSource(HelperClassesTest::testClassBytes);
  }

  @AfterEach
  void tearDown() throws IOException {
    HelperClasses.setSource(name -> null);
    application.close();
  }

  @Test
  void helperSeesTheApplicationsLibraryThroughItsLoader() throws Exception {
    Class<?> probe = HelperClasses.load(application, PROBE);

    assertThat(probe.getClassLoader().getParent()).isSameAs(application);
    assertThat(probe).isNotSameAs(DriverProbeOnTestPath.CLASS);
    @SuppressWarnings("unchecked")
    Supplier<Class<?>> instance =
        (Supplier<Class<?>>) HelperClasses.newInstance(application, PROBE);
    assertThat(instance.get().getClassLoader()).isSameAs(application);
  }

  @Test
  void oneHelperLoaderPerApplicationLoader() throws Exception {
    Class<?> first = HelperClasses.load(application, PROBE);
    Object instance = HelperClasses.newInstance(application, PROBE);

    assertThat(HelperClasses.load(application, PROBE)).isSameAs(first);
    assertThat(instance.getClass()).isSameAs(first);
    try (URLClassLoader other =
        new URLClassLoader(application.getURLs(), ClassLoader.getPlatformClassLoader())) {
      assertThat(HelperClasses.load(other, PROBE)).isNotSameAs(first);
    }
  }

  @Test
  void onlyHelperPackagesAreDefinedNextToTheApplication() {
    assertThatThrownBy(() -> HelperClasses.load(application, "dev.threadline.agent.AgentInstaller"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                HelperClasses.load(
                    application, "dev.threadline.agent.instrumentation.testing.helpers.Missing"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  private static byte[] testClassBytes(String name) {
    try (InputStream in =
        HelperClassesTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The probe as the test's own loader has it. */
  private static final class DriverProbeOnTestPath {
    static final Class<?> CLASS =
        dev.threadline.agent.instrumentation.testing.helpers.DriverProbe.class;
  }
}
