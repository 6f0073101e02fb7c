package dev.threadline.agent;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Matches a type by the name of one of its super types (itself, its super classes and all their
 * interfaces), as {@code hasSuperType(named(name))} does, but walks each loaded type's hierarchy
 * once for all the agent's matchers: ByteBuddy offers the same description to every matcher in
 * turn, and about ten of them ask about super types, each of which would walk the hierarchy again
 * (on erasures; the generic signatures are never read). A super type whose class file cannot be
 * found is left out, so the rest of the hierarchy still matches.
 */
public final class SuperTypes {
  private static final ThreadLocal<Walked> lastWalked = new ThreadLocal<>();

  private SuperTypes() {}

  /** Matches {@code name} and every type with a super class or interface named {@code name}. */
  public static ElementMatcher.Junction<TypeDescription> hasSuperTypeNamed(String name) {
    return new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
      @Override
      public boolean matches(TypeDescription type) {
        return type != null && namesOf(type).contains(name);
      }

      @Override
      public String toString() {
        return "hasSuperTypeNamed(" + name + ")";
      }
    };
  }

  /**
   * The names of {@code type} and of all its super types, from a one-entry cache per thread: a
   * class is transformed on the thread that loads it, and all the matchers see it before the next.
   */
  static Set<String> namesOf(TypeDescription type) {
    Walked last = lastWalked.get();
    if (last != null && last.type.get() == type) {
      return last.names;
    }
    Set<String> names = walk(type);
    // Weakly: the description holds its class loader, which must stay collectable.
    lastWalked.set(new Walked(type, names));
    return names;
  }

  private static Set<String> walk(TypeDescription type) {
    Set<String> names = new HashSet<>();
    Deque<TypeDefinition> pending = new ArrayDeque<>();
    pending.push(type);
    while (!pending.isEmpty()) {
      TypeDefinition next = pending.pop();
      try {
        if (!names.add(next.asErasure().getName())) {
          continue;
        }
        TypeDefinition superClass = next.getSuperClass();
        if (superClass != null) {
          pending.push(superClass);
        }
        TypeList.Generic interfaces = next.getInterfaces();
        for (int i = 0; i < interfaces.size(); i++) {
          pushResolvable(pending, interfaces, i);
        }
      } catch (RuntimeException unresolvable) {
        // A class file the loader cannot find (an optional dependency): that branch is unknown.
      }
    }
    return names;
  }

  private static void pushResolvable(
      Deque<TypeDefinition> pending, TypeList.Generic interfaces, int index) {
    try {
      pending.push(interfaces.get(index));
    } catch (RuntimeException unresolvable) {
      // As above, for one interface: the others are still walked.
    }
  }

  private static final class Walked {
    final WeakReference<TypeDescription> type;
    final Set<String> names;

    Walked(TypeDescription type, Set<String> names) {
      this.type = new WeakReference<>(type);
      this.names = names;
    }
  }
}
