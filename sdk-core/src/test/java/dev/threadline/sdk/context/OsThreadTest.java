package dev.threadline.sdk.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OsThreadTest {

  @Test
  void currentIsTheCallingThreadAsProcNamesIt() throws Exception {
    AtomicReference<OsThread> read = new AtomicReference<>();
    AtomicReference<String> link = new AtomicReference<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                read.set(OsThread.current());
                link.set(Files.readSymbolicLink(Path.of("/proc/thread-self")).toString());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    thread.start();
    thread.join();

    // /proc/thread-self links to <pid>/task/<tid>: an oracle independent of the stat line.
    int tid = Integer.parseInt(link.get().substring(link.get().lastIndexOf('/') + 1));
    assertThat(read.get().tid).isEqualTo(tid).isNotEqualTo(OsThread.tid());
    String stat =
        Files.readString(
            Path.of("/proc/self/task/" + OsThread.tid() + "/stat"), StandardCharsets.US_ASCII);
    // The other thread started after this one.
    assertThat(read.get().startTicks).isGreaterThanOrEqualTo(OsThread.startTicks(stat));
  }

  @Test
  void fieldsAreCountedAfterTheCommandNameWhateverItHolds() {
    String stat =
        "4242 (a) b (c) d) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 12 0 987654 1000 10 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

    assertThat(OsThread.tid(stat)).isEqualTo(4242);
    assertThat(OsThread.startTicks(stat)).isEqualTo(987654);
  }
}
