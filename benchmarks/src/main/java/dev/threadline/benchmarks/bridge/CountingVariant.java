package dev.threadline.benchmarks.bridge;

import dev.threadline.bridge.loader.AttachedObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reference programs that only count their calls (their {@code calls} map). Checked after the run:
 * they ran while attached (at least once per syscall of the attached timings) and not while
 * detached, so a silent no-op attach cannot pass for a free tracer.
 */
final class CountingVariant implements Variant {
  private final String name;
  private final AttachedObject programs;
  private final long syscallsPerTiming;
  private long lastRead;
  private long whileAttached;
  private long whileDetached;
  private long attachedTimings;
  private boolean attached;

  CountingVariant(String name, Path object, long syscallsPerTiming) throws Exception {
    this.name = name;
    this.programs = AttachedObject.load(Files.readAllBytes(object));
    this.syscallsPerTiming = syscallsPerTiming;
    this.lastRead = programs.perCpuCounter("calls");
    this.attached = true; // load attaches
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void attach() throws Exception {
    account();
    programs.attach();
    attached = true;
    attachedTimings++; // each attach is followed by one timing
  }

  @Override
  public void detach() {
    programs.detach(); // first: calls until the programs are gone belong to the attached period
    account();
    attached = false;
  }

  /** Adds the calls since the last switch to the attached or the detached total. */
  private void account() {
    long now = programs.perCpuCounter("calls");
    if (attached) {
      whileAttached += now - lastRead;
    } else {
      whileDetached += now - lastRead;
    }
    lastRead = now;
  }

  @Override
  public void verify() {
    long least = attachedTimings * syscallsPerTiming;
    // A run already under way on another CPU when a link goes may still finish after detach
    // returns (the kernel frees the program array after an RCU grace period, it does not wait for
    // it): at most one per CPU per link per detach.
    long stragglers =
        attachedTimings * Runtime.getRuntime().availableProcessors() * programs.programCount();
    if (whileAttached < least || whileDetached > stragglers) {
      throw new IllegalStateException(
          String.format(
              "%s: %d calls counted while attached (at least %d expected), %d while detached (at"
                  + " most %d)",
              name, whileAttached, least, whileDetached, stragglers));
    }
    System.out.printf(
        "[%s: %d calls counted while attached (at least %d expected), %d while detached]%n",
        name, whileAttached, least, whileDetached);
  }

  @Override
  public void close() {
    programs.close();
  }
}
