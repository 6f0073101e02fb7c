package dev.threadline.agent.bootstrap.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the annotations of a {@code @WithSpan} method are read as. */
class MethodSpanTest {
  static class Annotated {
    @WithSpan
    void plain(String notAnAttribute) {}

    @WithSpan(value = "checkout", kind = SpanKind.CLIENT, inheritContext = false)
    CompletableFuture<String> named(
        @SpanAttribute("order.id") long id, @SpanAttribute String user) {
      return null;
    }
  }

  private static Method method(String name) {
    for (Method method : Annotated.class.getDeclaredMethods()) {
      if (method.getName().equals(name)) {
        return method;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void defaultsNameTheSpanAfterClassAndMethod() {
    MethodSpan span = MethodSpan.of(method("plain"));
    assertThat(span.name).isEqualTo("MethodSpanTest$Annotated.plain");
    assertThat(span.kind).isEqualTo(SpanKind.INTERNAL);
    assertThat(span.inheritContext).isTrue();
    assertThat(span.async).isFalse();
  }

  @Test
  void valuesOfTheAnnotationsAreRead() {
    MethodSpan span = MethodSpan.of(method("named"));
    assertThat(span.name).isEqualTo("checkout");
    assertThat(span.kind).isEqualTo(SpanKind.CLIENT);
    assertThat(span.inheritContext).isFalse();
    assertThat(span.async).isTrue();
    // The second parameter has no value() and, without -parameters (this build), no name: skipped.
    // With -parameters its name is used (WithSpanLogbackIT's Spring Boot application).
    assertThat(method("named").getParameters()[1].isNamePresent()).isFalse();
    assertThat(span.attributeNames()).containsExactly("order.id");
  }

  @Test
  void theMethodIsFoundByItsNameAndDescriptor() {
    assertThat(WithSpans.nameAndDescriptor(method("named")))
        .isEqualTo("named(JLjava/lang/String;)Ljava/util/concurrent/CompletableFuture;");
  }
}
