/**
 * The agent's installer, running in its own class loader: it finds the {@link
 *
 * dev.threadline.agent.InstrumentationModule}s through {@link java.util.ServiceLoader} and
 * installs
 * them with ByteBuddy (data path: instrumentation → span → export). Installation runs
 * once, on the
 * premain thread; {@link dev.threadline.agent.AdviceSupport} is then used from any
 * thread that loads
 * classes.
 */
package dev.threadline.agent;
