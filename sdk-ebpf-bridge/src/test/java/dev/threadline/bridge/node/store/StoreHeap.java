package dev.threadline.bridge.node.store;

import org.openjdk.jol.info.GraphLayout;

/**
 * What an object graph really occupies on the heap, walked and sized by JOL (OpenJDK's object
 * layout tool) rather than taken from the store's own byte estimate.
 */
public final class StoreHeap {
  static {
    // The store holds lambdas (hidden classes), whose field offsets JOL reads this way on JDK 17+.
    System.setProperty("jol.magicFieldOffset", "true");
  }

  private StoreHeap() {}

  /**
   * Bytes of every object reachable from {@code root}, each counted once, leaving out what is
   * reachable from {@code notHeld} (objects the store only refers to, such as the node's metrics).
   */
  public static long bytes(Object root, Object... notHeld) {
    GraphLayout layout = GraphLayout.parseInstance(root);
    if (notHeld.length > 0) {
      layout = layout.subtract(GraphLayout.parseInstance(notHeld));
    }
    return layout.totalSize();
  }
}
