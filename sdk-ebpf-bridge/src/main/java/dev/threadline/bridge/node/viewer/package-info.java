/** The web viewer: static files from {@code /node/} on the classpath. */
package dev.threadline.bridge.node.viewer;
