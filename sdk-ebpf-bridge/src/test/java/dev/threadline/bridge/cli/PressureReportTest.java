package dev.threadline.bridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.threadline.bridge.loader.PayloadReductions;
import org.junit.jupiter.api.Test;

class PressureReportTest {
  @Test
  void saysSomethingOnlyWhenACountGrew() {
    PressureReport report = new PressureReport();
    assertThat(report.update(0, new PayloadReductions(0, 0))).isNull();
    assertThat(report.update(0, new PayloadReductions(3, 0)))
        .isEqualTo(
            "threadline-bridge: 0 events lost so far (ring buffer full);"
                + " payload cut to keep the events: 3 to a head, 0 to none");
    assertThat(report.update(0, new PayloadReductions(3, 0))).isNull();
    assertThat(report.update(0, new PayloadReductions(3, 2))).endsWith("3 to a head, 2 to none");
    assertThat(report.update(7, new PayloadReductions(3, 2)))
        .startsWith("threadline-bridge: 7 events lost so far");
    assertThat(report.update(7, new PayloadReductions(3, 2))).isNull();
  }

  @Test
  void theSummaryIsSilentWhenNothingWasLostOrCut() {
    assertThat(PressureReport.summary(0, new PayloadReductions(0, 0))).isNull();
    assertThat(PressureReport.summary(5, new PayloadReductions(1, 2)))
        .isEqualTo(
            "threadline-bridge: 5 events lost (ring buffer full);"
                + " payload cut to keep the events: 1 to a head, 2 to none");
  }
}
