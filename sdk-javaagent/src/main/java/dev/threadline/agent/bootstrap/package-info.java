/**
 * What every instrumentation shares on the bootstrap class path, where advice inlined into any
 * class can reach it: the premain and the agent class loader, the agent's log, the tracing facade,
 * the switched-off set, call depth and the weak identity map of per-object state (data path:
 * instrumentation → span → export). Each library's own span helpers live in a sub-package. All of
 * it is safe to call from any application thread.
 */
package dev.threadline.agent.bootstrap;
