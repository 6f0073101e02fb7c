package dev.threadline.bridge.node;

import java.util.Locale;

/** Whether the node traces the kernel side ({@code --kernel}). */
public enum KernelMode {
  /** When it can (root, or CAP_BPF and CAP_PERFMON); one line says which and why. */
  AUTO,
  /** Always: the node does not start without it. */
  REQUIRED,
  /** Never: OTLP only. */
  OFF;

  /** {@code auto}, {@code required} or {@code off}, any case. */
  public static KernelMode parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--kernel must be auto, required or off, was " + text);
    }
  }
}
