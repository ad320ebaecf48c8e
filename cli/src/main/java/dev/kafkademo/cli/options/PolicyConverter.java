package dev.kafkademo.cli.options;

import dev.kafkademo.kafka.InvalidRecordPolicy;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** skip, fail or dlq, in any case: the invalid-record policy as the options write it. */
public final class PolicyConverter implements ITypeConverter<InvalidRecordPolicy> {
  @Override
  public InvalidRecordPolicy convert(String value) {
    return Arrays.stream(InvalidRecordPolicy.values())
        .filter(policy -> policy.toString().equalsIgnoreCase(value.strip()))
        .findFirst()
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "'"
                        + value
                        + "' is not one of "
                        + Arrays.stream(InvalidRecordPolicy.values())
                            .map(InvalidRecordPolicy::toString)
                            .collect(Collectors.joining(", "))));
  }
}
