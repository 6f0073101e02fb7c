package dev.threadline.agent.instrumentation.jdbc;

import static dev.threadline.agent.SuperTypes.hasSuperTypeNamed;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.threadline.agent.AdviceSupport;
import dev.threadline.agent.InjectedField;
import dev.threadline.agent.InstrumentationModule;
import dev.threadline.agent.bootstrap.jdbc.ConnectionUrlHolder;
import dev.threadline.agent.bootstrap.jdbc.PreparedQueryHolder;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * CLIENT spans around JDBC statement execution, for any driver and any pool. A pool's proxy
 * statement and the driver's statement beneath it make one span: only the outermost call on a
 * thread is traced.
 */
public final class JdbcInstrumentation implements InstrumentationModule {
  @Override
  public String name() {
    return "jdbc";
  }

  // Prepared statements hold their query in a field of their own where they can: an execution
  // then reads a field, where the map it otherwise looks up costs a weak reference per statement.
  private static final InjectedField PREPARED_QUERY = InjectedField.of(PreparedQueryHolder.class);

  // Connections hold their database the same way: each prepare reads a field, not the map.
  private static final InjectedField DATABASE_URL = InjectedField.of(ConnectionUrlHolder.class);

  @Override
  public AgentBuilder extend(AgentBuilder builder, AdviceSupport support) {
    return builder
        .type(
            PREPARED_QUERY.types(
                support.types(name(), hasSuperTypeNamed("java.sql.PreparedStatement"))))
        .transform(PREPARED_QUERY.transformer())
        .type(DATABASE_URL.types(support.types(name(), hasSuperTypeNamed("java.sql.Connection"))))
        .transform(DATABASE_URL.transformer())
        .type(
            support.types(name(), not(isInterface()).and(hasSuperTypeNamed("java.sql.Connection"))))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf("prepareStatement", "prepareCall")
                        .and(takesArgument(0, String.class)),
                    PrepareAdvice.class.getName()))
        // Connections' close is not instrumented: only drivers' connections are remembered, a
        // pool's proxies (a new one per borrow, the ones the application closes) never, and a
        // driver's connection goes from the map when it is collected.
        .type(
            support.types(name(), not(isInterface()).and(hasSuperTypeNamed("java.sql.Statement"))))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate")
                        .and(isPublic())
                        .and(takesArgument(0, String.class)),
                    StatementAdvice.class.getName()))
        .transform(
            support
                .forAdvice(name())
                .advice(
                    namedOneOf(
                            "execute",
                            "executeQuery",
                            "executeUpdate",
                            "executeLargeUpdate",
                            "executeBatch",
                            "executeLargeBatch")
                        .and(isPublic())
                        .and(takesArguments(0)),
                    PreparedStatementAdvice.class.getName())
                .advice(
                    named("close").and(takesArguments(0)), StatementCloseAdvice.class.getName()));
  }
}
