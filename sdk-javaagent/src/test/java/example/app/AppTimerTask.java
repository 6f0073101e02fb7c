package example.app;

import java.util.TimerTask;

/**
 * A {@code java.util.Timer} task as an application writes one, outside the agent's own packages
 * (which it never instruments).
 */
public final class AppTimerTask extends TimerTask {
  private final Runnable body;

  public AppTimerTask(Runnable body) {
    this.body = body;
  }

  @Override
  public void run() {
    body.run();
  }
}
