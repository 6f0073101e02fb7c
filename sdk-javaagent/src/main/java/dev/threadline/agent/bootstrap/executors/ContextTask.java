package dev.threadline.agent.bootstrap.executors;

/**
 * Marks a task that already carries its context: executors never wrap or capture it a second time.
 */
public interface ContextTask {}
