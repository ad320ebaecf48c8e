package dev.kafkademo.cli.options;

import dev.kafkademo.kafka.PointInTime;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code 2026-12-04T10:00:00Z}, {@code 2026-12-04}, or {@code 90m} ago, for the options of a time.
 */
public final class PointInTimeConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return PointInTime.parse(value, Instant.now());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
