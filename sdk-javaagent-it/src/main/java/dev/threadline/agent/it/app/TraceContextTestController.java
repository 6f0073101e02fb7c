package dev.threadline.agent.it.app;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestTemplate;

/**
 * The test service of the W3C Trace Context test suite: the harness posts a JSON list of {@code
 * {url, arguments}}, and for each the service posts {@code arguments} (JSON) to {@code url}, in the
 * request's context, so the harness sees what the service propagates.
 */
@RestController
public class TraceContextTestController {
  private final RestTemplate restTemplate = new RestTemplate();

  @PostMapping(path = "/w3c/test", produces = MediaType.APPLICATION_JSON_VALUE)
  public List<Object> test(@RequestBody List<Map<String, Object>> actions) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    for (Map<String, Object> action : actions) {
      Object arguments = action.get("arguments");
      restTemplate.postForEntity(
          String.valueOf(action.get("url")),
          new HttpEntity<>(arguments == null ? List.of() : arguments, headers),
          String.class);
    }
    return List.of();
  }
}
