package dev.threadline.sdk.context;

import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Plain stores into the mapped thread-context region by address, without a {@link ByteBuffer}'s
 * bounds checks: they keep a publication's write path small enough for the JIT to inline it into
 * the context switch (and then to remove the switch's scope allocation). Uses {@code
 * sun.misc.Unsafe} (module {@code jdk.unsupported}, open on every JDK since 9); where it is
 * missing, {@link #AVAILABLE} is false and callers write through the buffer instead.
 */
final class RawMemory {
  private static final sun.misc.Unsafe UNSAFE = unsafe();
  private static final long BUFFER_ADDRESS = bufferAddressOffset();

  /** Whether stores by address are possible here. */
  static final boolean AVAILABLE = UNSAFE != null && BUFFER_ADDRESS >= 0;

  private RawMemory() {}

  /** The address of {@code direct}'s first byte, or -1 when {@link #AVAILABLE} is false. */
  static long address(ByteBuffer direct) {
    if (!AVAILABLE || direct == null || !direct.isDirect()) {
      return -1;
    }
    return UNSAFE.getLong(direct, BUFFER_ADDRESS);
  }

  static void putByte(long address, byte value) {
    UNSAFE.putByte(address, value);
  }

  static void putInt(long address, int value) {
    UNSAFE.putInt(address, value);
  }

  static void putLong(long address, long value) {
    UNSAFE.putLong(address, value);
  }

  private static sun.misc.Unsafe unsafe() {
    try {
      Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      field.setAccessible(true);
      return (sun.misc.Unsafe) field.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static long bufferAddressOffset() {
    if (UNSAFE == null) {
      return -1;
    }
    try {
      return UNSAFE.objectFieldOffset(Buffer.class.getDeclaredField("address"));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }
}
