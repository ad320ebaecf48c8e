package dev.kafkademo.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlReportTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void untilTheLatestEventTheChangesAreAppliedAndTheFinalRowsPrintedInOrder() {
    SqlReport report =
        new SqlReport(
            SqlReport.Format.table, true, new PrintWriter(out), new PrintWriter(err), List.of());
    report.columns(List.of("userId", "total"), List.of("STRING", "DECIMAL(38, 2)"));
    report.change("+I", List.of("user-2", new BigDecimal("5.00")));
    report.change("+I", List.of("user-1", new BigDecimal("19.99")));
    report.change("-U", List.of("user-1", new BigDecimal("19.99")));
    report.change("+U", List.of("user-1", new BigDecimal("20.00")));
    report.change("+I", List.of("user-3", new BigDecimal("1.00")));
    report.change("-D", List.of("user-3", new BigDecimal("1.00")));
    report.queryEnded(false);
    report.summary(1_500_000_000L);

    assertEquals("userId  total\nuser-1  20.00\nuser-2  5.00\n", out.toString());
    assertEquals("1 query, 6 changes, 2 rows in the final results in 1.5 s\n", err.toString());
  }

  @Test
  void theClientsSecretsAreMaskedWhereverAQueryShowsThem() {
    String jaas =
        "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"s3cret\";";
    SqlReport report =
        new SqlReport(
            SqlReport.Format.table,
            true,
            new PrintWriter(out),
            new PrintWriter(err),
            List.of(jaas));
    report.columns(List.of("result"), List.of("STRING"));
    report.change("+I", List.of("'properties.sasl.jaas.config' = '" + jaas + "'"));
    report.queryEnded(false);

    assertEquals("result\n'properties.sasl.jaas.config' = '********'\n", out.toString());
  }

  @Test
  void runningOnEveryChangeIsPrintedAsItComesWithItsKind() {
    SqlReport report =
        new SqlReport(
            SqlReport.Format.json, false, new PrintWriter(out), new PrintWriter(err), List.of());
    report.columns(List.of("eventType", "events"), List.of("STRING", "BIGINT NOT NULL"));
    report.change("+I", List.of("login", 1L));
    report.change("-U", List.of("login", 1L));
    report.change("+U", List.of("login", 2L));

    assertEquals(
        "{\"op\":\"+I\",\"eventType\":\"login\",\"events\":1}\n"
            + "{\"op\":\"-U\",\"eventType\":\"login\",\"events\":1}\n"
            + "{\"op\":\"+U\",\"eventType\":\"login\",\"events\":2}\n",
        out.toString());
  }
}
