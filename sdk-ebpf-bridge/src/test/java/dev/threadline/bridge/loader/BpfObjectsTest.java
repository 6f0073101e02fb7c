package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.threadline.bridge.testing.EbpfRequirement;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Loading through libbpf into the real kernel: acceptance, verifier rejection, garbage. */
class BpfObjectsTest {

  @BeforeAll
  static void requireKernel() {
    EbpfRequirement.requireEbpf();
  }

  @Test
  void theKernelAcceptsTheCommittedObject() throws Exception {
    assertThatCode(() -> BpfObjects.checkLoads(resource(SocketTraceProgram.OBJECT_RESOURCE)))
        .doesNotThrowAnyException();
  }

  @Test
  void verifierRejectionIsOneLineNamingProgramAndReason() throws Exception {
    BridgeUnavailableException e =
        catchThrowableOfType(
            BridgeUnavailableException.class,
            () -> BpfObjects.checkLoads(resource("/bpf/rejected.bpf.o")));
    assertThat(e.reason()).isEqualTo(FailureReason.VERIFIER_REJECTED);
    assertThat(e.oneLine())
        .startsWith(
            "threadline-bridge: verifier rejected: the kernel verifier rejected program tl_rejected: ")
        .contains("invalid mem access")
        .contains("full libbpf log: ")
        .doesNotContain("\n");
    String logFile = e.getMessage().replaceAll(".*full libbpf log: (\\S+)\\).*", "$1");
    assertThat(Files.readString(Path.of(logFile))).contains("BEGIN PROG LOAD LOG");
    Files.delete(Path.of(logFile));
  }

  @Test
  void aKernelWithoutTheTracepointIsNamedAsTooOld() throws Exception {
    BridgeUnavailableException e =
        catchThrowableOfType(
            BridgeUnavailableException.class,
            () -> BpfObjects.checkLoads(resource("/bpf/missing_tracepoint.bpf.o")));
    assertThat(e.reason()).isEqualTo(FailureReason.UNSUPPORTED_KERNEL);
    assertThat(e.oneLine())
        .startsWith(
            "threadline-bridge: unsupported kernel: this kernel has no tracepoint"
                + " threadline_no_such_tracepoint (with BTF); the bridge needs Linux 6.3 or newer")
        .doesNotContain("\n");
  }

  @Test
  void referenceProgramsRunOnlyWhileAttached() throws Exception {
    try (AttachedObject reference = AttachedObject.load(resource("/bpf/reference_socket.bpf.o"));
        LoopbackPair pair = new LoopbackPair()) {
      long loaded = reference.perCpuCounter("calls");
      pair.exchange(10);
      long attached = reference.perCpuCounter("calls");
      // 10 sends and 10 receives of this test at least; other processes' traffic may add more.
      assertThat(attached - loaded).as("calls while attached").isGreaterThanOrEqualTo(20);

      reference.detach();
      long detached = reference.perCpuCounter("calls");
      pair.exchange(10);
      assertThat(reference.perCpuCounter("calls")).as("calls while detached").isEqualTo(detached);

      reference.attach();
      reference.attach(); // already attached: nothing to do
      long again = reference.perCpuCounter("calls");
      pair.exchange(10);
      assertThat(reference.perCpuCounter("calls") - again)
          .as("calls after attaching again")
          .isGreaterThanOrEqualTo(20);
    }
  }

  /** A connected loopback TCP pair in this process; each exchange is one send and one receive. */
  private static final class LoopbackPair implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Socket client =
        new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
    private final Socket accepted = server.accept();

    LoopbackPair() throws IOException {}

    void exchange(int times) throws IOException {
      byte[] one = new byte[1];
      for (int i = 0; i < times; i++) {
        client.getOutputStream().write(7);
        assertThat(accepted.getInputStream().read(one)).isEqualTo(1);
      }
    }

    @Override
    public void close() throws IOException {
      try (server;
          client;
          accepted) {}
    }
  }

  @Test
  void notAnElfObjectIsALoadFailure() {
    BridgeUnavailableException e =
        catchThrowableOfType(
            BridgeUnavailableException.class, () -> BpfObjects.checkLoads(new byte[] {1, 2, 3, 4}));
    assertThat(e.reason()).isEqualTo(FailureReason.LOAD_FAILED);
    assertThat(e.oneLine())
        .startsWith("threadline-bridge: load failed: libbpf cannot open the BPF object")
        .doesNotContain("\n");
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = BpfObjectsTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
