/**
 * A helper class for {@code HelperClassesTest}: defined next to an application loader, it must
 * resolve the library through that loader. Stateless.
 */
package dev.threadline.agent.instrumentation.testing.helpers;
