package example.greeting;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A bean with {@code @WithSpan} methods, as teams write them for the OpenTelemetry agent; outside
 * the agent's own packages, which it never instruments.
 */
@Service
public class Greeter {
  private static final Logger log = LoggerFactory.getLogger(Greeter.class);

  /** The span {@code greet}, with the attributes {@code app.user} and {@code times}. */
  @WithSpan("greet")
  public String greet(@SpanAttribute("app.user") String user, @SpanAttribute int times) {
    log.info("greeting {} in greet", user);
    return ("hello " + user + " ").repeat(times).trim();
  }

  /** The span {@code Greeter.failing}, ended with ERROR and the exception. */
  @WithSpan
  public void failing(@SpanAttribute("app.user") String user) {
    throw new IllegalStateException("no greeting for " + user);
  }

  /** The span {@code Greeter.later}, which ends when the returned future completes. */
  @WithSpan
  public CompletableFuture<String> later(CompletableFuture<String> result) {
    return result;
  }
}
