package dev.threadline.sdk.context;

/**
 * Runs one {@link HookScenarios} scenario in a fresh JVM, where {@link ContextSwitchHook#install()}
 * is the first thing to touch OpenTelemetry's context storage. Exits 0 on success, 1 on failure
 * (with the stack trace on stderr).
 */
public final class HookScenarioMain {

  /** Scenario that deliberately uses the context storage before installing the hook. */
  static final String TOO_LATE = "tooLateInstallIsDetected";

  private HookScenarioMain() {}

  public static void main(String[] args) {
    try {
      if (TOO_LATE.equals(args[0])) {
        HookScenarios.tooLateInstallIsDetected();
      } else {
        if (!ContextSwitchHook.install()) {
          throw new AssertionError("install() returned false in a fresh JVM");
        }
        HookScenarios.run(args[0]);
      }
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }
}
