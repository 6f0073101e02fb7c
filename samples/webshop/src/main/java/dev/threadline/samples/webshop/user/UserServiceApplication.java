package dev.threadline.samples.webshop.user;

import dev.threadline.samples.webshop.common.Dto;
import dev.threadline.samples.webshop.common.Services;
import java.util.UUID;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** user-svc: registration, login and notifications. */
@SpringBootApplication
@RestController
public class UserServiceApplication {
  private final JdbcTemplate jdbc;
  private final SimpleJdbcInsert users;

  public UserServiceApplication(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    this.users = new SimpleJdbcInsert(jdbc).withTableName("users").usingGeneratedKeyColumns("id");
  }

  public static void main(String[] args) {
    Services.run(UserServiceApplication.class, "user-svc", args);
  }

  @PostMapping("/users")
  public Dto.User register(@RequestBody Dto.Credentials credentials) {
    Number id =
        users.executeAndReturnKey(
            java.util.Map.of("name", credentials.name(), "password", credentials.password()));
    return new Dto.User(id.longValue(), credentials.name());
  }

  @PostMapping("/login")
  public Dto.Session login(@RequestBody Dto.Credentials credentials) {
    Long id =
        jdbc.query(
            "SELECT id FROM users WHERE name = ? AND password = ?",
            rs -> rs.next() ? rs.getLong(1) : null,
            credentials.name(),
            credentials.password());
    if (id == null) {
      throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "unknown user or wrong password");
    }
    return new Dto.Session(id, UUID.randomUUID().toString());
  }

  @PostMapping("/users/{id}/notifications")
  public void notify(@PathVariable long id, @RequestBody Dto.Notification notification) {
    jdbc.update(
        "INSERT INTO notifications (user_id, message) VALUES (?, ?)", id, notification.message());
  }
}
