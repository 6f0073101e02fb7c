package dev.threadline.agent;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Per-object state in a field the agent adds to a class as the class loads, where the OpenTelemetry
 * agent's virtual fields put it. The field's accessors are the two methods of a holder interface on
 * the bootstrap class path, {@code T name()} and {@code void name(T)}; the class gains the
 * interface, a transient synthetic field {@code name} of type {@code T} and the two accessors.
 *
 * <p>The agent installs with class format changes disabled (the classes it retransforms were loaded
 * before it, and retransformation cannot add fields), so only a class seen loading for the first
 * time gains the field; advice tests for the holder interface and keeps the state of other objects
 * in a {@link dev.threadline.agent.bootstrap.WeakIdentityMap}. A class that gained the field gains
 * it again when it is retransformed later (a retransformation starts from the class file as loaded,
 * and must not drop the field).
 */
public final class InjectedField implements AsmVisitorWrapper {
  private final Class<?> holder;
  private final String holderName;
  private final String fieldName;
  private final String fieldDescriptor;
  private final Map<ClassLoader, Boolean> loadersSeeingHolder =
      Collections.synchronizedMap(new WeakHashMap<>());

  private InjectedField(Class<?> holder, String fieldName, Class<?> fieldType) {
    this.holder = holder;
    this.holderName = Type.getInternalName(holder);
    this.fieldName = fieldName;
    this.fieldDescriptor = Type.getDescriptor(fieldType);
  }

  /**
   * The field of {@code holder}, an interface of exactly a getter {@code T name()} and a setter
   * {@code void name(T)}.
   */
  public static InjectedField of(Class<?> holder) {
    Method getter = null;
    Method setter = null;
    for (Method method : holder.getDeclaredMethods()) {
      if (method.getParameterCount() == 0 && method.getReturnType() != void.class) {
        getter = method;
      } else if (method.getParameterCount() == 1 && method.getReturnType() == void.class) {
        setter = method;
      }
    }
    if (!holder.isInterface()
        || holder.getDeclaredMethods().length != 2
        || getter == null
        || setter == null
        || !getter.getName().equals(setter.getName())
        || getter.getReturnType() != setter.getParameterTypes()[0]
        || getter.getReturnType().isPrimitive()) {
      throw new IllegalArgumentException(
          holder + " is not an interface of one getter and one setter of the same reference type");
    }
    return new InjectedField(holder, getter.getName(), getter.getReturnType());
  }

  /**
   * Matches the classes of {@code types} that load now for the first time, outside any named module
   * (which could not read the holder's unnamed module), in a class loader that sees the holder
   * interface; and the classes that gained the field already and are being retransformed.
   */
  public AgentBuilder.RawMatcher types(ElementMatcher<? super TypeDescription> types) {
    return (type, loader, module, classBeingRedefined, protectionDomain) -> {
      if (classBeingRedefined != null) {
        return hasField(classBeingRedefined);
      }
      return !type.isInterface()
          && (module == null || !module.isNamed())
          && seesHolder(loader)
          && types.matches(type);
    };
  }

  /** Adds the field, its accessors and the holder interface to the matched class. */
  public AgentBuilder.Transformer transformer() {
    return (builder, type, loader, module, protectionDomain) -> builder.visit(this);
  }

  boolean hasField(Class<?> type) {
    return Arrays.asList(type.getInterfaces()).contains(holder)
        && Arrays.stream(type.getDeclaredFields()).anyMatch(f -> f.getName().equals(fieldName));
  }

  private boolean seesHolder(ClassLoader loader) {
    if (loader == null) {
      return true;
    }
    return loadersSeeingHolder.computeIfAbsent(
        loader,
        l -> {
          try {
            return Class.forName(holder.getName(), false, l) == holder;
          } catch (ClassNotFoundException | LinkageError e) {
            return false;
          }
        });
  }

  @Override
  public int mergeWriter(int flags) {
    return flags;
  }

  @Override
  public int mergeReader(int flags) {
    return flags;
  }

  @Override
  public ClassVisitor wrap(
      TypeDescription instrumentedType,
      ClassVisitor classVisitor,
      Implementation.Context implementationContext,
      TypePool typePool,
      FieldList<FieldDescription.InDefinedShape> fields,
      MethodList<?> methods,
      int writerFlags,
      int readerFlags) {
    return new ClassVisitor(Opcodes.ASM9, classVisitor) {
      private String owner;
      private boolean holdsAlready;

      @Override
      public void visit(
          int version,
          int access,
          String name,
          String signature,
          String superName,
          String[] interfaces) {
        owner = name;
        // A class file that was given the field before (and cached so by some tool) keeps it as it
        // is:
        // a second interface entry or field would not load.
        holdsAlready = interfaces != null && Arrays.asList(interfaces).contains(holderName);
        String[] extended = interfaces == null ? new String[0] : interfaces;
        if (!holdsAlready) {
          extended = Arrays.copyOf(extended, extended.length + 1);
          extended[extended.length - 1] = holderName;
        }
        super.visit(version, access, name, signature, superName, extended);
      }

      @Override
      public void visitEnd() {
        if (holdsAlready) {
          super.visitEnd();
          return;
        }
        FieldVisitor field =
            super.visitField(
                Opcodes.ACC_PRIVATE | Opcodes.ACC_TRANSIENT | Opcodes.ACC_SYNTHETIC,
                fieldName,
                fieldDescriptor,
                null,
                null);
        field.visitEnd();
        int accessor = Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNTHETIC;
        MethodVisitor get =
            super.visitMethod(accessor, fieldName, "()" + fieldDescriptor, null, null);
        get.visitCode();
        get.visitVarInsn(Opcodes.ALOAD, 0);
        get.visitFieldInsn(Opcodes.GETFIELD, owner, fieldName, fieldDescriptor);
        get.visitInsn(Opcodes.ARETURN);
        get.visitMaxs(1, 1);
        get.visitEnd();
        MethodVisitor set =
            super.visitMethod(accessor, fieldName, "(" + fieldDescriptor + ")V", null, null);
        set.visitCode();
        set.visitVarInsn(Opcodes.ALOAD, 0);
        set.visitVarInsn(Opcodes.ALOAD, 1);
        set.visitFieldInsn(Opcodes.PUTFIELD, owner, fieldName, fieldDescriptor);
        set.visitInsn(Opcodes.RETURN);
        set.visitMaxs(2, 2);
        set.visitEnd();
        super.visitEnd();
      }
    };
  }

  @Override
  public String toString() {
    return "field " + fieldName + " of " + holder.getName();
  }
}
