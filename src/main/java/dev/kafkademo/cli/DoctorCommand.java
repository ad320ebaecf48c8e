package dev.kafkademo.cli;

import dev.kafkademo.Defaults;
import dev.kafkademo.kafka.admin.Doctor;
import dev.kafkademo.kafka.admin.Doctor.Check;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Check what usually goes wrong, each with OK or FAIL and the fix: the bootstrap address,",
      "the advertised addresses, the topic, the offsets topic, the group and, with --write-test,",
      "a record written and read back. Exit 0 when nothing fails."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConnectionOptions connection;

  @Mixin OutputOptions output;

  @Option(
      names = {"-t", "--topic"},
      paramLabel = "TOPIC",
      defaultValue = Defaults.TOPIC,
      description = "Topic to check (default: ${DEFAULT-VALUE}).")
  String topic;

  @Option(
      names = {"-g", "--group"},
      paramLabel = "GROUP",
      defaultValue = Defaults.GROUP,
      description = "Group to check (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--write-test",
      description = "Also write a record to " + Doctor.WRITE_TEST_TOPIC + " and read it back.")
  boolean writeTest;

  @Override
  public Integer call() {
    List<Check> checks =
        new Doctor(connection.clientProperties(Map.of(), Map.of()), connection.timeout())
            .run(topic, group, writeTest);
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, checks);
    } else {
      for (Check check : checks) {
        out.printf("%-7s %-20s %s%n", check.status(), check.name(), check.detail());
        if (check.fix() != null) {
          out.printf("%-7s %-20s fix: %s%n", "", "", check.fix());
        }
      }
    }
    return checks.stream().anyMatch(c -> c.status() == Doctor.Status.FAIL)
        ? ExitCodes.FAILURE
        : ExitCodes.OK;
  }
}
