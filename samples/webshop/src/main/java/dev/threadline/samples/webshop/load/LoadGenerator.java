package dev.threadline.samples.webshop.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the WebShop through its gateway, in one of two modes:
 *
 * <ul>
 *   <li>{@code closed}: {@code --concurrency} clients, each sending its next request when the last
 *       one answered (measures what the system can take);
 *   <li>{@code fixed}: {@code --rate} requests per second whatever the answers (measures latency at
 *       a given load, without coordinated omission).
 * </ul>
 *
 * Bounded in count ({@code --requests}) and time ({@code --max-seconds}); prints one summary line.
 * {@code --warmup-seconds W} runs the same load for W seconds first, unreported. With {@code
 * --marker PREFIX} the {@code n}th request carries {@code marker=PREFIX-n} in its query, so that
 * its trace can be found and checked afterwards ({@link JoinReport}).
 *
 * <pre>java -Dloader.main=dev.threadline.samples.webshop.load.LoadGenerator -jar webshop.jar \
 *   --url http://127.0.0.1:8080/shop/full-test?count=1 --mode fixed --rate 20 --requests 200</pre>
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    LoadOptions options = LoadOptions.parse(args);
    if (options.warmupSeconds() > 0) {
      LoadResult warmup = run(options.warmup());
      System.out.println("warm-up: " + (warmup.ok() + warmup.failed()) + " requests");
      if (warmup.failed() > 0 && options.failOnError()) {
        System.out.println(warmup.summary());
        System.exit(1);
      }
    }
    LoadResult result = run(options);
    System.out.println(result.summary());
    if (result.failed() > 0 && options.failOnError()) {
      System.exit(1);
    }
  }

  static LoadResult run(LoadOptions options) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger issued = new AtomicInteger();
    AtomicInteger sequence = new AtomicInteger();
    Runnable one =
        () -> {
          String url = options.url(sequence.getAndIncrement());
          long start = System.nanoTime();
          try {
            HttpResponse<String> response =
                client.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean success =
                response.statusCode() == 200 && !response.body().contains("\"success\":0");
            (success ? ok : failed).incrementAndGet();
          } catch (Exception e) {
            failed.incrementAndGet();
          } finally {
            latencies.add(System.nanoTime() - start);
          }
        };
    long begin = System.nanoTime();
    long deadline = begin + TimeUnit.SECONDS.toNanos(options.maxSeconds());
    if (options.mode().equals("fixed")) {
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      ExecutorService senders = Executors.newCachedThreadPool();
      long period = Math.max(1, 1_000_000_000L / options.rate());
      ticker.scheduleAtFixedRate(
          () -> {
            if (issued.incrementAndGet() <= options.requests() && System.nanoTime() < deadline) {
              senders.execute(one);
            }
          },
          0,
          period,
          TimeUnit.NANOSECONDS);
      while (ok.get() + failed.get() < options.requests() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      ticker.shutdownNow();
      senders.shutdown();
      senders.awaitTermination(60, TimeUnit.SECONDS);
    } else {
      ExecutorService clients = Executors.newFixedThreadPool(options.concurrency());
      for (int c = 0; c < options.concurrency(); c++) {
        clients.execute(
            () -> {
              while (issued.incrementAndGet() <= options.requests()
                  && System.nanoTime() < deadline) {
                one.run();
              }
            });
      }
      clients.shutdown();
      clients.awaitTermination(options.maxSeconds() + 60L, TimeUnit.SECONDS);
    }
    return new LoadResult(
        options.mode(), ok.get(), failed.get(), System.nanoTime() - begin, latencies);
  }
}
