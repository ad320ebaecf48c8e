package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.CliException;
import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.ShutdownSignal;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.output.SqlReport;
import dev.kafkademo.kafka.Secrets;
import dev.kafkademo.kafka.admin.Cluster;
import dev.kafkademo.sql.SqlRunner;
import dev.kafkademo.sql.SqlScript;
import dev.kafkademo.sql.SqlScript.Statement;
import dev.kafkademo.sql.UserEventsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The sql command once Flink is on the class path: the only class of the commands that names the
 * sql module's, so that kafka-demo.jar, which has no Flink, can load {@link SqlCommand} and hand it
 * on to kafka-demo-sql.jar.
 */
public final class SqlSession {
  private final SqlCommand options;

  SqlSession(SqlCommand options) {
    this.options = options;
  }

  int run(String script) {
    List<Statement> statements = SqlScript.split(script);
    if (statements.isEmpty()) {
      throw CliException.badInput(
          (options.file == null ? "The SQL" : options.file.toString()) + " holds no statement",
          null);
    }
    ConnectionOptions connection = options.connection;
    Properties client = connection.clientProperties(Map.of(), Map.of(), ClientKind.CONSUMER);
    // The broker is checked first, whatever the statements: an address that is wrong is said
    // before Flink starts.
    try (Cluster cluster = Cluster.connect(client, connection.timeout())) {
      if (readsUserEvents(statements)) {
        if (!cluster.topics().exists(options.topic.name())) {
          throw new CliException(
              "Topic "
                  + options.topic.name()
                  + " does not exist yet: produce to it first (kafka-demo producer --topic "
                  + options.topic.name()
                  + ") or check --topic",
              ExitCodes.NOT_FOUND,
              null);
        }
      }
    }
    UserEventsTable.Registry schemas = null;
    List<String> secrets = new ArrayList<>(secrets(client));
    if (options.registry.given(connection)) {
      String url = options.registry.client(connection).url(); // checks the address
      schemas =
          new UserEventsTable.Registry(
              url, options.registry.credentials(connection), RegistryOptions.timeout(connection));
      if (schemas.userInfo() != null) {
        secrets.add(schemas.userInfo());
      }
    }
    SqlRunner runner =
        new SqlRunner(
            new SqlRunner.Settings(
                UserEventsTable.definition(
                    options.topic.name(),
                    client,
                    schemas,
                    options.from == SqlCommand.From.earliest,
                    options.untilLatest,
                    options.grace,
                    options.onError == SqlCommand.OnError.skip),
                options.parallelism,
                options.untilLatest,
                options.maxRows == null ? Long.MAX_VALUE : options.maxRows,
                options.file == null ? null : options.file.toString()),
            new SqlReport(
                options.format, options.untilLatest, options.out(), options.err(), secrets));
    // Released last, so that on Ctrl-C the JVM waits for the job's cancel and the summary.
    try (ShutdownSignal stop = ShutdownSignal.install(runner::stop)) {
      runner.run(statements);
    } catch (SqlRunner.InvalidStatementException e) {
      throw new CliException(e.getMessage(), ExitCodes.USAGE, e);
    } catch (SqlRunner.QueryFailedException e) {
      if (e.refusal().isPresent()) {
        throw e.refusal().get(); // said as every command says it: which operation on what
      }
      throw new CliException(e.getMessage(), ExitCodes.FAILURE, e);
    }
    return ExitCodes.OK;
  }

  private static boolean readsUserEvents(List<Statement> statements) {
    for (Statement statement : statements) {
      if (statement.text().toLowerCase(Locale.ROOT).contains(UserEventsTable.NAME)) {
        return true;
      }
    }
    return false;
  }

  /** The values of the client settings that are secrets, by their names, as connectors masks. */
  private static List<String> secrets(Properties client) {
    return client.stringPropertyNames().stream()
        .filter(Secrets::isSecret)
        .map(client::getProperty)
        .toList();
  }
}
