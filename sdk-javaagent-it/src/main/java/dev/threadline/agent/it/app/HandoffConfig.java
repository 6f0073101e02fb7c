package dev.threadline.agent.it.app;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/** The executors a Spring service hands work to: none of them knows anything of tracing. */
@Configuration
@EnableAsync
public class HandoffConfig {

  @Bean
  public ThreadPoolTaskExecutor appExecutor() {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(2);
    executor.setThreadNamePrefix("app-pool-");
    return executor;
  }

  @Bean
  public ThreadPoolTaskScheduler appScheduler() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setThreadNamePrefix("app-scheduler-");
    return scheduler;
  }

  @Bean
  public SimpleAsyncTaskExecutor simpleExecutor() {
    return new SimpleAsyncTaskExecutor("app-simple-");
  }
}
