package dev.threadline.bridge.cli;

import dev.threadline.bridge.node.NodeCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar threadline-bridge.jar COMMAND [options]}: the bridge's command line. {@code
 * trace} ({@link TraceCommand}) prints S spans as JSON lines, {@code node} ({@link NodeCommand})
 * runs the node daemon. {@code --help} and {@code --version} work on this command and on each
 * subcommand.
 *
 * <p>Exit codes: 0 on success and for {@code --help}/{@code --version}, 2 for a usage error (one
 * line on stderr says what is wrong, the usage follows), 3 when the command cannot run here (see
 * each command).
 */
@Command(
    name = "threadline-bridge",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    synopsisHeading = "usage: ",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    description = "Threadline's kernel side (trace) and node daemon (node).")
public final class Main implements Runnable {
  /** Exit code for a usage error (picocli's default, kept from the hand-written parsers). */
  static final int USAGE_ERROR = CommandLine.ExitCode.USAGE;

  @Spec private CommandSpec spec;

  /** What is left when no subcommand matched: reported as an unknown command. */
  @Parameters(hidden = true, arity = "0..*")
  private List<String> unknown = new ArrayList<>();

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System::getenv, System.out, System.err, new CountDownLatch(1)));
  }

  /**
   * Runs one command line to its end and returns the exit code.
   *
   * @param args the arguments, the command first
   * @param env the environment (option defaults are read from it)
   * @param out standard output
   * @param err standard error
   * @param stop counted down to stop a long-running command, as Ctrl-C does
   */
  public static int run(
      String[] args,
      Function<String, String> env,
      PrintStream out,
      PrintStream err,
      CountDownLatch stop) {
    return commandLine(env, out, err, stop).execute(args);
  }

  /** The whole grammar, with its output, error handling and environment wired. */
  static CommandLine commandLine(
      Function<String, String> env, PrintStream out, PrintStream err, CountDownLatch stop) {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new TraceCommand(out, err, stop));
    cli.addSubcommand(NodeCommand.commandLine(new NodeCommand(env, out, err, stop), env));
    cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cli.setParameterExceptionHandler(Main::usageError);
    return cli;
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        unknown.isEmpty() ? "missing command" : "unknown command " + unknown.get(0));
  }

  /**
   * One line saying what is wrong, prefixed with the command, then that command's usage; exit code
   * 2.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
    command.usage(err);
    err.flush();
    return USAGE_ERROR;
  }
}
