package dev.threadline.bridge.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each preflight failure gives one line naming the cause and the fix. */
class PreflightTest {
  @TempDir Path dir;

  @Test
  void withoutBpfCapabilitiesSaysWhatToGrant() throws Exception {
    // CAP_NET_ADMIN only: no CAP_SYS_ADMIN, no CAP_BPF/CAP_PERFMON.
    Path status = status("0000000000001000");
    BridgeUnavailableException e =
        catchThrowableOfType(
            BridgeUnavailableException.class, () -> new Preflight(status, btf()).check());
    assertThat(e.reason()).isEqualTo(FailureReason.NO_PRIVILEGE);
    assertThat(e.oneLine())
        .startsWith("threadline-bridge: no privilege: ")
        .contains("uid 1000")
        .contains("CAP_BPF")
        .contains("run the bridge as root")
        .doesNotContain("\n");
  }

  @Test
  void bpfAndPerfmonWithoutSysAdminAreEnough() throws Exception {
    long caps = (1L << Preflight.CAP_BPF) | (1L << Preflight.CAP_PERFMON);
    Path status = status(Long.toHexString(caps));
    assertThatCode(() -> new Preflight(status, btf()).check()).doesNotThrowAnyException();
  }

  @Test
  void missingBtfNamesTheKernelOption() throws Exception {
    Path status = status("000001ffffffffff");
    BridgeUnavailableException e =
        catchThrowableOfType(
            BridgeUnavailableException.class,
            () -> new Preflight(status, dir.resolve("no-vmlinux")).check());
    assertThat(e.reason()).isEqualTo(FailureReason.NO_BTF);
    assertThat(e.oneLine()).contains("CONFIG_DEBUG_INFO_BTF=y").doesNotContain("\n");
  }

  @Test
  void missingLibbpfSaysWhichPackage() {
    // A separate JVM would be needed to test the real lookup; the message is built here.
    BridgeUnavailableException e =
        new BridgeUnavailableException(FailureReason.LIBBPF_MISSING, "x");
    assertThat(e.oneLine()).isEqualTo("threadline-bridge: libbpf missing: x");
  }

  private Path status(String capEff) throws Exception {
    return Files.writeString(
        dir.resolve("status"),
        "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nCapEff:\t" + capEff + "\n");
  }

  private Path btf() throws Exception {
    return Files.writeString(dir.resolve("vmlinux"), "btf");
  }
}
