/**
 * item-svc: item lookups from its own database, on Tomcat request threads; traced by the agent
 * only.
 */
package dev.threadline.samples.webshop.item;
