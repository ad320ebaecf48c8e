package dev.kafkademo.cli.commands;

import dev.kafkademo.cli.ExitCodes;
import dev.kafkademo.cli.options.ClientKind;
import dev.kafkademo.cli.options.ConnectionOptions;
import dev.kafkademo.cli.options.GroupOption;
import dev.kafkademo.cli.options.OutputOptions;
import dev.kafkademo.cli.options.RegistryOptions;
import dev.kafkademo.cli.options.TopicOption;
import dev.kafkademo.cli.output.DoctorReport;
import dev.kafkademo.kafka.admin.Doctor;
import java.io.PrintWriter;
import java.util.ArrayList;
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
      "Check what usually goes wrong, each with OK, WARN or FAIL and the fix: the bootstrap address,",
      "the advertised addresses, the topic, the offsets topic, the group and, with --write-test,",
      "a record written and read back. Exit 0 when nothing fails."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TopicOption topic;

  @Mixin GroupOption group;

  @Mixin ConnectionOptions connection;

  @Mixin OutputOptions output;

  @Mixin RegistryOptions registry;

  @Option(
      names = "--write-test",
      description = "Also write a record to " + Doctor.WRITE_TEST_TOPIC + " and read it back.")
  boolean writeTest;

  @Override
  public Integer call() {
    List<Doctor.Check> checks =
        new Doctor(
                connection.clientProperties(
                    Map.of(), Map.of(), ClientKind.ADMIN, ClientKind.PRODUCER, ClientKind.CONSUMER),
                connection.timeout())
            .run(topic.name(), group.name(), writeTest);
    List<DoctorReport.Line> lines =
        new ArrayList<>(checks.stream().map(DoctorReport::line).toList());
    if (registry.given(connection)) { // named by flag, environment or --command-config
      lines.add(DoctorReport.registry(registry.client(connection)));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json()) {
      OutputOptions.printJson(out, lines);
    } else {
      for (DoctorReport.Line line : lines) {
        out.printf("%-7s %-20s %s%n", line.status(), line.name(), line.detail());
        if (line.fix() != null) {
          out.printf("%-7s %-20s fix: %s%n", "", "", line.fix());
        }
      }
    }
    return lines.stream().anyMatch(line -> line.status().equals(Doctor.Status.FAIL.name()))
        ? ExitCodes.FAILURE
        : ExitCodes.OK;
  }
}
