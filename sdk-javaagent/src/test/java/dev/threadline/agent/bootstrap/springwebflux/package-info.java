/** Tests of the WebFlux bootstrap helpers. */
package dev.threadline.agent.bootstrap.springwebflux;
