package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.sdk.context.ThreadContextLayout;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery of thread-context regions on real files, real mappings and this process's real
 * /proc/self/maps: what gets registered, when, and when it is forgotten.
 */
class ThreadContextRegionsTest {
  private static final int SELF = (int) ProcessHandle.current().pid();

  @TempDir Path dir;

  private final Map<Integer, long[]> registered = new HashMap<>();
  private final List<Integer> forgotten = new ArrayList<>();
  private final ThreadContextRegions.Registry registry =
      new ThreadContextRegions.Registry() {
        @Override
        public boolean register(int tgid, long base, int slotCount) {
          registered.put(tgid, new long[] {base, slotCount});
          return true;
        }

        @Override
        public void forget(int tgid) {
          registered.remove(tgid);
          forgotten.add(tgid);
        }
      };

  @Test
  void aMappedRegionIsRegisteredAtItsAddressOnceItsHeaderIsComplete() throws Exception {
    Path file = dir.resolve("threadline-ctx." + SELF);
    ThreadContextRegions regions = new ThreadContextRegions(registry, List.of(dir));
    try (FileChannel channel = open(file)) {
      MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64 + 16 * 64);
      region.order(ByteOrder.nativeOrder());
      region.putInt(8, 1).putInt(12, 64).putInt(16, 16).putInt(20, SELF);
      regions.scan();
      assertThat(registered).as("magic not written yet: a region being set up").isEmpty();

      region.putLong(0, ThreadContextLayout.MAGIC);
      regions.scan();
      assertThat(registered).containsOnlyKeys(SELF);
      assertThat(registered.get(SELF)[1]).isEqualTo(16);
      long base = registered.get(SELF)[0];
      assertThat(mappingStartsOf(file)).as("the start of this file's mapping").contains(base);

      regions.scan();
      assertThat(forgotten).as("nothing changed").isEmpty();

      Files.delete(file);
      regions.scan();
      assertThat(registered).isEmpty();
      assertThat(forgotten).containsExactly(SELF);
    }
  }

  @Test
  void aStaleFileOfAnExitedProcessIsNeverRegistered() throws Exception {
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    int deadPid = (int) exited.pid();
    Path file = dir.resolve("threadline-ctx." + deadPid);
    try (FileChannel channel = open(file)) {
      MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64 + 16 * 64);
      region.order(ByteOrder.nativeOrder());
      region.putInt(8, 1).putInt(12, 64).putInt(16, 16).putInt(20, deadPid);
      region.putLong(0, ThreadContextLayout.MAGIC);
    }
    new ThreadContextRegions(registry, List.of(dir)).scan();
    assertThat(registered).isEmpty();
  }

  @Test
  void aHeaderThatDoesNotDescribeThisLayoutIsRefused() throws Exception {
    Path file = dir.resolve("threadline-ctx." + SELF);
    try (FileChannel channel = open(file)) {
      MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64 + 16 * 64);
      region.order(ByteOrder.nativeOrder());
      region.putLong(0, ThreadContextLayout.MAGIC).putInt(8, 1).putInt(12, 64).putInt(20, SELF);
      for (int slots : new int[] {0, 12, 131072}) { // none, not a power of two, too many
        region.putInt(16, slots);
        assertThat(ThreadContextRegions.readHeader(file, SELF)).as("%d slots", slots).isEqualTo(-1);
      }
      region.putInt(16, 16).putInt(20, SELF + 1);
      assertThat(ThreadContextRegions.readHeader(file, SELF)).as("another pid's").isEqualTo(-1);
      region.putInt(20, SELF).putInt(12, 32);
      assertThat(ThreadContextRegions.readHeader(file, SELF)).as("other slot size").isEqualTo(-1);
      region.putInt(12, 64);
      assertThat(ThreadContextRegions.readHeader(file, SELF)).isEqualTo(16);
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(
        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static List<Long> mappingStartsOf(Path file) throws IOException {
    List<Long> starts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      if (line.endsWith(" " + file.toAbsolutePath())) {
        starts.add(Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16));
      }
    }
    return starts;
  }
}
