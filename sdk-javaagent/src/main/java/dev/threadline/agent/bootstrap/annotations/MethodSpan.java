package dev.threadline.agent.bootstrap.annotations;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the annotations of one {@code @WithSpan} method say, read reflectively once (the annotation
 * types are the application's): the span's name and kind, whether it continues the current context,
 * and which parameters become attributes under which names.
 */
final class MethodSpan {
  static final String SPAN_ATTRIBUTE = "io.opentelemetry.instrumentation.annotations.SpanAttribute";

  final String name;
  final SpanKind kind;
  final boolean inheritContext;
  final boolean async;
  private final int[] parameters;
  private final String[] attributes;

  private MethodSpan(
      String name,
      SpanKind kind,
      boolean inheritContext,
      boolean async,
      int[] parameters,
      String[] attributes) {
    this.name = name;
    this.kind = kind;
    this.inheritContext = inheritContext;
    this.async = async;
    this.parameters = parameters;
    this.attributes = attributes;
  }

  static MethodSpan of(Method method) {
    Annotation withSpan = annotation(method.getDeclaredAnnotations(), WithSpans.WITH_SPAN);
    String name = withSpan == null ? "" : (String) value(withSpan, "value", "");
    if (name.isEmpty()) {
      String type = method.getDeclaringClass().getName();
      name = type.substring(type.lastIndexOf('.') + 1) + "." + method.getName();
    }
    Object kind = withSpan == null ? null : value(withSpan, "kind", null);
    boolean inherit =
        withSpan == null || Boolean.TRUE.equals(value(withSpan, "inheritContext", true));
    List<Integer> indexes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Parameter[] declared = method.getParameters();
    Annotation[][] annotations = method.getParameterAnnotations();
    for (int i = 0; i < annotations.length; i++) {
      Annotation spanAttribute = annotation(annotations[i], SPAN_ATTRIBUTE);
      if (spanAttribute == null) {
        continue;
      }
      String attribute = (String) value(spanAttribute, "value", "");
      if (attribute.isEmpty() && declared[i].isNamePresent()) {
        attribute = declared[i].getName();
      }
      if (!attribute.isEmpty()) {
        indexes.add(i);
        names.add(attribute);
      }
    }
    return new MethodSpan(
        name,
        kind instanceof Enum ? SpanKind.valueOf(((Enum<?>) kind).name()) : SpanKind.INTERNAL,
        inherit,
        CompletionStage.class.isAssignableFrom(method.getReturnType()),
        indexes.stream().mapToInt(Integer::intValue).toArray(),
        names.toArray(new String[0]));
  }

  /** The attribute names, in parameter order. */
  List<String> attributeNames() {
    return List.of(attributes);
  }

  Span start(Tracer tracer, Context parent, Object[] arguments) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent);
    for (int i = 0; i < parameters.length; i++) {
      Object value = arguments[parameters[i]];
      if (value != null) {
        set(builder, attributes[i], value);
      }
    }
    return builder.startSpan();
  }

  private static void set(SpanBuilder builder, String key, Object value) {
    if (value instanceof String) {
      builder.setAttribute(key, (String) value);
    } else if (value instanceof Boolean) {
      builder.setAttribute(key, (Boolean) value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      builder.setAttribute(key, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      builder.setAttribute(key, ((Number) value).doubleValue());
    } else if (value instanceof Collection || value instanceof Object[]) {
      List<String> items = new ArrayList<>();
      for (Object item :
          value instanceof Collection ? (Collection<?>) value : Arrays.asList((Object[]) value)) {
        items.add(String.valueOf(item));
      }
      builder.setAttribute(AttributeKey.stringArrayKey(key), items);
    } else {
      builder.setAttribute(key, String.valueOf(value));
    }
  }

  private static Annotation annotation(Annotation[] annotations, String type) {
    for (Annotation annotation : annotations) {
      if (annotation.annotationType().getName().equals(type)) {
        return annotation;
      }
    }
    return null;
  }

  /** The annotation's element {@code element}, or {@code fallback} if this version has none. */
  private static Object value(Annotation annotation, String element, Object fallback) {
    try {
      return annotation.annotationType().getMethod(element).invoke(annotation);
    } catch (ReflectiveOperationException absent) {
      return fallback;
    }
  }
}
