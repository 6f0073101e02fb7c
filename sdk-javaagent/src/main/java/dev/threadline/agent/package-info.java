/**
 * The agent's installer, running in its own class loader: it finds the {@link\n *
 * dev.threadline.agent.InstrumentationModule}s through {@link java.util.ServiceLoader} and
 * installs\n * them with ByteBuddy (data path: instrumentation → span → export). Installation runs
 * once, on the\n * premain thread; {@link dev.threadline.agent.AdviceSupport} is then used from any
 * thread that loads\n * classes.
 */
package dev.threadline.agent;
