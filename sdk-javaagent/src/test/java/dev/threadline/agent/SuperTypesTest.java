package dev.threadline.agent;

import static dev.threadline.agent.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class SuperTypesTest {

  /** A generic interface, reached through a super class. */
  abstract static class Base implements Comparable<String> {}

  abstract static class Derived extends Base implements Runnable {}

  private static final List<Class<?>> TYPES =
      List.of(
          java.util.concurrent.ScheduledThreadPoolExecutor.class,
          java.util.concurrent.ForkJoinPool.class,
          java.util.concurrent.CompletableFuture.class,
          java.util.ArrayList.class,
          java.util.HashMap.class,
          Thread.class,
          Runnable.class,
          Derived.class);

  private static final List<String> NAMES =
      List.of(
          "java.util.concurrent.Executor",
          "java.util.concurrent.ThreadPoolExecutor",
          "java.util.concurrent.Future",
          "java.util.Collection",
          "java.util.Map",
          "java.io.Serializable",
          "java.lang.Object",
          "java.lang.Runnable",
          "java.lang.Comparable",
          "java.sql.Statement");

  // As the agent sees a class being loaded: a description read from its class file, not the class.
  private final TypePool pool =
      TypePool.Default.of(ClassFileLocator.ForClassLoader.ofSystemLoader());

  @Test
  void agreesWithByteBuddysHasSuperTypeOnClassFiles() {
    for (Class<?> type : TYPES) {
      TypeDescription description = pool.describe(type.getName()).resolve();
      for (String name : NAMES) {
        assertThat(hasSuperTypeNamed(name).matches(description))
            .as("%s has super type %s", type.getName(), name)
            .isEqualTo(hasSuperType(named(name)).matches(description));
      }
    }
    TypeDescription derived = pool.describe(Derived.class.getName()).resolve();
    assertThat(hasSuperTypeNamed("java.lang.Comparable").matches(derived)).isTrue();
    assertThat(hasSuperTypeNamed(Derived.class.getName()).matches(derived)).isTrue();
    assertThat(hasSuperTypeNamed("java.sql.Statement").matches(derived)).isFalse();
  }

  @Test
  void aSuperTypeWithNoClassFileLeavesTheRestOfTheHierarchyMatching() {
    // The interface exists when the class is made, but its class file is nowhere to be found.
    TypeDescription absent =
        new ByteBuddy().makeInterface().name("absent.Interface").make().getTypeDescription();
    byte[] classFile =
        new ByteBuddy()
            .subclass(Object.class)
            .implement(absent, TypeDescription.ForLoadedType.of(Serializable.class))
            .name("generated.WithAbsentInterface")
            .make()
            .getBytes();
    TypePool withAbsent =
        TypePool.Default.of(
            new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of("generated.WithAbsentInterface", classFile),
                ClassFileLocator.ForClassLoader.ofSystemLoader()));
    TypeDescription type = withAbsent.describe("generated.WithAbsentInterface").resolve();

    assertThat(hasSuperTypeNamed("java.io.Serializable").matches(type)).isTrue();
    assertThat(hasSuperTypeNamed("java.lang.Object").matches(type)).isTrue();
    assertThat(hasSuperTypeNamed("java.lang.Runnable").matches(type)).isFalse();
    // Where ByteBuddy's own matcher gives up on the whole type.
    assertThatThrownBy(() -> hasSuperType(named("java.lang.Runnable")).matches(type))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void twoTypesOfOneNameAreWalkedEachOnItsOwn() {
    TypeDescription runnable = generated("generated.Same", Runnable.class);
    TypeDescription serializable = generated("generated.Same", Serializable.class);

    assertThat(hasSuperTypeNamed("java.lang.Runnable").matches(runnable)).isTrue();
    assertThat(hasSuperTypeNamed("java.lang.Runnable").matches(serializable)).isFalse();
    assertThat(hasSuperTypeNamed("java.io.Serializable").matches(serializable)).isTrue();
    assertThat(hasSuperTypeNamed("java.io.Serializable").matches(runnable)).isFalse();
  }

  @Test
  void theMatchersOfOneTypeShareOneWalk() {
    TypeDescription type = pool.describe(Derived.class.getName()).resolve();

    assertThat(SuperTypes.namesOf(type)).isSameAs(SuperTypes.namesOf(type));
    assertThat(SuperTypes.namesOf(type))
        .contains(Derived.class.getName(), Base.class.getName(), "java.lang.Comparable");
  }

  private static TypeDescription generated(String name, Class<?> superInterface) {
    byte[] classFile =
        new ByteBuddy()
            .subclass(Object.class)
            .implement(superInterface)
            .name(name)
            .make()
            .getBytes();
    return TypePool.Default.of(
            new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, classFile),
                ClassFileLocator.ForClassLoader.ofSystemLoader()))
        .describe(name)
        .resolve();
  }
}
