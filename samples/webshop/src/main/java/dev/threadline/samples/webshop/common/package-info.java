/**
 * What the WebShop's five services share: the DTOs they exchange and the start-up helper that runs
 * one service with its own configuration file. Used on Spring's threads; immutable values.
 */
package dev.threadline.samples.webshop.common;
