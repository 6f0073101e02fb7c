/**
 * Application code of the Spring Boot test application that the agent must instrument itself
 * ({@code @WithSpan} methods: instrumentation → span → export), kept outside {@code
 * dev.threadline.agent}, which the agent never instruments. Called on request and pool threads.
 */
package example.greeting;
