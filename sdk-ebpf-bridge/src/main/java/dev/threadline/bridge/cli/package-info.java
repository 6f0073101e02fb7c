/** The {@code threadline-bridge trace} command: S spans as JSON lines. */
package dev.threadline.bridge.cli;
