/**
 * shop-web: the front behind the gateway, calling user-svc and order-svc over HTTP on request
 * threads.
 */
package dev.threadline.samples.webshop.web;
