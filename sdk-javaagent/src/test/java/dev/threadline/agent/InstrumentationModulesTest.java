package dev.threadline.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every instrumentation module is found by the installer: each {@code *Instrumentation} class in
 * {@code dev.threadline.agent.instrumentation} is listed in the services file, and names are unique
 * (they are the {@code threadline.instrumentation.<name>.enabled} settings).
 */
class InstrumentationModulesTest {

  @Test
  void everyModuleClassIsListedForTheServiceLoaderUnderItsOwnName() throws Exception {
    List<InstrumentationModule> modules = new ArrayList<>();
    ServiceLoader.load(InstrumentationModule.class).forEach(modules::add);

    assertThat(modules)
        .extracting(module -> module.getClass().getName())
        .containsExactlyInAnyOrderElementsOf(moduleClassesCompiled());
    assertThat(modules).extracting(InstrumentationModule::name).doesNotHaveDuplicates();
  }

  /** The module classes compiled from src/main, found by walking the class output. */
  private static List<String> moduleClassesCompiled() throws Exception {
    Path classes = classesDirectory();
    Path instrumentation = classes.resolve("dev/threadline/agent/instrumentation");
    try (Stream<Path> files = Files.walk(instrumentation)) {
      List<String> names =
          files
              .map(path -> classes.relativize(path).toString().replace('/', '.'))
              .filter(name -> name.endsWith("Instrumentation.class"))
              .map(name -> name.substring(0, name.length() - ".class".length()))
              .collect(Collectors.toList());
      assertThat(names).as("module classes under " + instrumentation).isNotEmpty();
      return names;
    }
  }

  private static Path classesDirectory() throws URISyntaxException {
    return Paths.get(
        InstrumentationModule.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
