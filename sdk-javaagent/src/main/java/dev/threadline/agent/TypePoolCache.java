package dev.threadline.agent;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Keeps type descriptions between transformations, per class loader: matching "is this a Servlet /
 * a JDBC Statement" walks the super types of every class loaded, and without a cache each walk
 * re-reads the same class files. Class loaders are held weakly, so a redeployed application's
 * loader can still be collected.
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
  private static final Object BOOTSTRAP = new Object();
  private final Map<Object, TypePool.CacheProvider> caches =
      Collections.synchronizedMap(new WeakHashMap<>());

  TypePoolCache() {
    super(TypePool.Default.ReaderMode.FAST);
  }

  @Override
  protected TypePool.CacheProvider locate(ClassLoader classLoader) {
    Object key = classLoader == null ? BOOTSTRAP : classLoader;
    return caches.computeIfAbsent(key, ignored -> new TypePool.CacheProvider.Simple());
  }
}
