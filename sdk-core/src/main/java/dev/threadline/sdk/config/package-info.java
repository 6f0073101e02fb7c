/**
 * Settings (data path: before anything; the SDK is configured from them): the known {@code otel.*}
 * and {@code threadline.*} keys, their rules, and the autoconfigure customizer that replaces an
 * invalid value by its default with one warning. Used once, while Threadline installs; immutable
 * afterwards.
 */
package dev.threadline.sdk.config;
