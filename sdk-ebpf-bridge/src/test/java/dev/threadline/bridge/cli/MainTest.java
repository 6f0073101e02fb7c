package dev.threadline.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.threadline.bridge.loader.TraceConfig;
import dev.threadline.bridge.testing.EbpfRequirement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void parsesPidsPortsAndCapture() {
    TraceConfig c =
        Main.parse(
            new String[] {"trace", "--pid", "1", "--pid", "2", "--port", "80", "--capture", "64"});
    assertThat(c.pids()).containsExactlyInAnyOrder(1, 2);
    assertThat(c.ports()).containsExactly(80);
    assertThat(c.captureBytes()).isEqualTo(64);
    assertThat(c.selfPid()).isEqualTo((int) ProcessHandle.current().pid());
    TraceConfig defaults = Main.parse(new String[] {"trace"});
    assertThat(defaults.pids()).isEmpty();
    assertThat(defaults.captureBytes()).isEqualTo(1024);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> Main.parse(new String[] {})).hasMessage("missing command");
    assertThatThrownBy(() -> Main.parse(new String[] {"trace", "--port"}))
        .hasMessage("missing value after --port");
    assertThatThrownBy(() -> Main.parse(new String[] {"trace", "--port", "x"}))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> Main.parse(new String[] {"trace", "--capture", "20000"}))
        .hasMessageContaining("0..16384");
    assertThatThrownBy(() -> Main.parse(new String[] {"trace", "--port", "70000"}))
        .hasMessageContaining("not a TCP port");
    assertThatThrownBy(() -> Main.parse(new String[] {"trace", "--frobnicate", "1"}))
        .hasMessage("unknown option --frobnicate");
    assertThatThrownBy(() -> TraceConfig.allButSelf().withRingBufferBytes(3000))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> TraceConfig.allButSelf().withRingBufferBytes(1 << 30))
        .hasMessageContaining("256 MiB");
  }

  @Test
  void badArgumentsExitWithUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"dump"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new CountDownLatch(0));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unknown command dump")
        .contains(Main.USAGE);
  }

  @Test
  void nodeCommandIsDispatchedToTheNodeDaemon() {
    // The node daemon's contract: exit code 2 for a bad option.
    assertThat(Main.dispatch(new String[] {"node", "--no-such-option"})).isEqualTo(2);
  }

  @Test
  void runsUntilStoppedWhenTheKernelSideWorks() {
    EbpfRequirement.requireEbpf();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"trace", "--port", "1"},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new CountDownLatch(0));
    assertThat(code).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("tracing all processes but this one, ports [1]");
  }
}
