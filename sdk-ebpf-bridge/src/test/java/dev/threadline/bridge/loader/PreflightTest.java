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
  void missingLibbpfSaysWhichPackage() throws Exception {
    // The lookup the bridge makes, pointed at a path with no library and at a file that is not one.
    Path absent = dir.resolve("libbpf.so.1");
    BridgeUnavailableException missing =
        catchThrowableOfType(
            BridgeUnavailableException.class, () -> NativeLibraries.loadLibBpf(absent.toString()));
    assertThat(missing.reason()).isEqualTo(FailureReason.LIBBPF_MISSING);
    assertThat(missing.oneLine())
        .startsWith("threadline-bridge: libbpf missing: cannot load " + absent + " (")
        .endsWith("); install libbpf 1.x (Debian/Ubuntu: apt-get install libbpf1)")
        .doesNotContain("\n");
    Path notALibrary = Files.writeString(dir.resolve("libbpf.so.1"), "not an ELF object");
    BridgeUnavailableException unloadable =
        catchThrowableOfType(
            BridgeUnavailableException.class,
            () -> NativeLibraries.loadLibBpf(notALibrary.toString()));
    assertThat(unloadable.reason()).isEqualTo(FailureReason.LIBBPF_MISSING);
    assertThat(unloadable.oneLine())
        .startsWith("threadline-bridge: libbpf missing: cannot load " + notALibrary + " (")
        .doesNotContain("\n");
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
