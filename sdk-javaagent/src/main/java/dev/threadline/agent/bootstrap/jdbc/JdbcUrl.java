package dev.threadline.agent.bootstrap.jdbc;

import java.util.Locale;

/** {@code db.system}, {@code db.namespace} and the server, read off a JDBC URL. */
public final class JdbcUrl {
  private final String system;
  private final String namespace;
  private final String host;
  private final int port;

  private JdbcUrl(String system, String namespace, String host, int port) {
    this.system = system;
    this.namespace = namespace;
    this.host = host;
    this.port = port;
  }

  public static JdbcUrl parse(String url) {
    if (url == null || !url.startsWith("jdbc:")) {
      return new JdbcUrl("other_sql", null, null, -1);
    }
    String rest = url.substring("jdbc:".length());
    int colon = rest.indexOf(':');
    String subprotocol = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    String system = system(subprotocol);
    String tail = colon < 0 ? "" : rest.substring(colon + 1);
    if (system.equals("h2")) {
      return h2(tail);
    }
    return network(system, tail);
  }

  private static String system(String subprotocol) {
    switch (subprotocol) {
      case "h2":
      case "mariadb":
      case "mysql":
      case "postgresql":
      case "oracle":
      case "hsqldb":
      case "derby":
      case "sqlite":
      case "db2":
        return subprotocol;
      case "sqlserver":
        return "mssql";
      default:
        return "other_sql";
    }
  }

  /**
   * {@code mem:orders;DB_CLOSE_DELAY=-1}, {@code file:/data/shop}, {@code tcp://host:9092/shop}.
   */
  private static JdbcUrl h2(String tail) {
    String target = cutAt(tail, ';');
    if (target.startsWith("tcp:") || target.startsWith("ssl:")) {
      JdbcUrl network = network("h2", target.substring(4));
      return network;
    }
    int colon = target.indexOf(':');
    String name = colon >= 0 ? target.substring(colon + 1) : target;
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = slash >= 0 ? name.substring(slash + 1) : name;
    return new JdbcUrl("h2", name.isEmpty() ? null : name, null, -1);
  }

  /** {@code //host:port/database?params}. */
  private static JdbcUrl network(String system, String tail) {
    if (!tail.startsWith("//")) {
      return new JdbcUrl(system, null, null, -1);
    }
    String authorityAndPath = cutAt(cutAt(tail.substring(2), '?'), ';');
    int slash = authorityAndPath.indexOf('/');
    String authority = slash >= 0 ? authorityAndPath.substring(0, slash) : authorityAndPath;
    String database = slash >= 0 ? authorityAndPath.substring(slash + 1) : null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    authority = cutAt(authority, ',');
    String host = authority;
    int port = -1;
    int portColon = authority.lastIndexOf(':');
    if (portColon > 0 && !authority.endsWith("]")) {
      host = authority.substring(0, portColon);
      try {
        port = Integer.parseInt(authority.substring(portColon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    return new JdbcUrl(
        system,
        database == null || database.isEmpty() ? null : database,
        host.isEmpty() ? null : host,
        port);
  }

  private static String cutAt(String value, char stop) {
    int index = value.indexOf(stop);
    return index >= 0 ? value.substring(0, index) : value;
  }

  public String system() {
    return system;
  }

  public String namespace() {
    return namespace;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
