package dev.kafkademo.cli.options;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --stats SECONDS}: a line of the client's metrics on stderr every so often. */
public final class StatsOption {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private Duration every = Duration.ZERO;

  @Option(
      names = "--stats",
      paramLabel = "SECONDS",
      description =
          "Every SECONDS, one line on stderr from the client's metrics: rates, and latency"
              + " percentiles (producer) or lag per partition (consumer).")
  void setSeconds(int seconds) {
    if (seconds < 1) {
      throw new ParameterException(
          mixee.commandLine(),
          "--stats takes a whole number of seconds, at least 1, got " + seconds);
    }
    every = Duration.ofSeconds(seconds);
  }

  /** How often; zero when not asked for. */
  public Duration every() {
    return every;
  }
}
