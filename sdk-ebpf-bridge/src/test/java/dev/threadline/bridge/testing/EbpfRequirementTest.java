package dev.threadline.bridge.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** CI must never go green by skipping the kernel tests. */
class EbpfRequirementTest {

  @Test
  void missingKernelSupportSkipsLocally() {
    assertThatThrownBy(() -> EbpfRequirement.missing("no BTF", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("skipped: no BTF");
  }

  @Test
  void missingKernelSupportFailsWhenRequired() {
    assertThatThrownBy(() -> EbpfRequirement.missing("no BTF", true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("THREADLINE_REQUIRE_EBPF=1 but no BTF");
  }
}
