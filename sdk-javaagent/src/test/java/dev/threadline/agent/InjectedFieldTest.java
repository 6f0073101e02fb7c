package dev.threadline.agent;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.junit.jupiter.api.Test;

class InjectedFieldTest {

  /** The holder interface, as the agent's live on the bootstrap class path. */
  public interface LabelHolder {
    String threadline$label();

    void threadline$label(String label);
  }

  /** A class of the application's, with a field of its own the injected one must not disturb. */
  public static class Order {
    public String id = "o-1";
  }

  /** Not a holder: two getters. */
  public interface TwoGetters {
    String first();

    String second();
  }

  private final InjectedField field = InjectedField.of(LabelHolder.class);

  /** {@code Order} as the agent's decoration (class format changes disabled) makes it load. */
  private Class<?> decoratedOrder() {
    return loadAnew(new ByteBuddy().decorate(Order.class).visit(field).make());
  }

  /** Loads {@code type} in a new child-first class loader, beside the test's own classes. */
  private Class<?> loadAnew(DynamicType.Unloaded<?> type) {
    return type.load(
            new URLClassLoader(new URL[0], getClass().getClassLoader()),
            ClassLoadingStrategy.Default.CHILD_FIRST)
        .getLoaded();
  }

  @Test
  void aClassSeenLoadingGainsTheHolderInterfaceAndAFieldPerObject() throws Exception {
    Class<?> order = decoratedOrder();
    assertThat(order).isNotSameAs(Order.class);
    Object first = order.getConstructor().newInstance();
    Object second = order.getConstructor().newInstance();

    assertThat(first).isInstanceOf(LabelHolder.class);
    ((LabelHolder) first).threadline$label("express");
    assertThat(((LabelHolder) first).threadline$label()).isEqualTo("express");
    assertThat(((LabelHolder) second).threadline$label()).as("state is per object").isNull();
    assertThat(order.getField("id").get(first)).isEqualTo("o-1");

    Field injected = order.getDeclaredField("threadline$label");
    assertThat(injected.getType()).isEqualTo(String.class);
    assertThat(Modifier.isPrivate(injected.getModifiers())).isTrue();
    assertThat(Modifier.isTransient(injected.getModifiers()))
        .as("never serialised with the object")
        .isTrue();
    assertThat(injected.isSynthetic()).as("passed over by frameworks that reflect").isTrue();
  }

  @Test
  void aClassFileThatHoldsTheFieldAlreadyIsLeftAsItIs() throws Exception {
    DynamicType.Unloaded<?> once = new ByteBuddy().decorate(Order.class).visit(field).make();
    TypeDescription type = once.getTypeDescription();
    Class<?> twice =
        loadAnew(
            new ByteBuddy()
                .decorate(type, ClassFileLocator.Simple.of(type.getName(), once.getBytes()))
                .visit(field)
                .make());

    assertThat(twice.getInterfaces()).containsOnlyOnce(LabelHolder.class);
    LabelHolder order = (LabelHolder) twice.getConstructor().newInstance();
    order.threadline$label("standard");
    assertThat(order.threadline$label()).isEqualTo("standard");
  }

  @Test
  void onlyClassesLoadingForTheFirstTimeOrThatGainedTheFieldMatch() {
    AgentBuilder.RawMatcher matcher = field.types(any());
    TypeDescription order = TypeDescription.ForLoadedType.of(Order.class);
    ClassLoader loader = getClass().getClassLoader();

    assertThat(matcher.matches(order, loader, null, null, null)).as("first load").isTrue();
    assertThat(field.types(none()).matches(order, loader, null, null, null))
        .as("not among the module's types")
        .isFalse();
    assertThat(matcher.matches(order, loader, null, Order.class, null))
        .as("retransformed, loaded without the field: retransformation cannot add it")
        .isFalse();
    Class<?> decorated = decoratedOrder();
    assertThat(matcher.matches(order, decorated.getClassLoader(), null, decorated, null))
        .as("retransformed after gaining the field: it must keep it")
        .isTrue();
    assertThat(
            matcher.matches(
                TypeDescription.ForLoadedType.of(LabelHolder.class), loader, null, null, null))
        .as("interfaces hold no fields")
        .isFalse();
  }

  @Test
  void aClassLoaderThatCannotSeeTheHolderIsLeftAlone() throws Exception {
    // A loader that does not delegate to the one holding the interface: the class would fail to
    // link if it named the interface.
    try (URLClassLoader isolated = new URLClassLoader(new URL[0], null)) {
      assertThat(
              field
                  .types(any())
                  .matches(
                      TypeDescription.ForLoadedType.of(Order.class), isolated, null, null, null))
          .isFalse();
    }
  }

  @Test
  void aHolderMustBeOneGetterAndOneSetterOfOneType() {
    assertThatThrownBy(() -> InjectedField.of(TwoGetters.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one getter and one setter");
    assertThatThrownBy(() -> InjectedField.of(Order.class))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
