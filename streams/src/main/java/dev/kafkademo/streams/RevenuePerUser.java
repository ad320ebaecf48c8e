package dev.kafkademo.streams;

import dev.kafkademo.events.EventType;
import dev.kafkademo.events.UserEvent;
import dev.kafkademo.streams.Results.Revenue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Part two: revenue per user, a table. Purchases are summed per user (the record key, so no
 * repartition) and currency, in a queryable key-value store backed by a changelog topic; every
 * change goes out, uncached, so that no currency's update is folded into another's.
 */
public final class RevenuePerUser {
  /** The key-value store, queryable: user id to their totals per currency. */
  public static final String STORE = "revenue-store";

  private RevenuePerUser() {}

  /** One currency's total and number of purchases. */
  public record CurrencyTotal(BigDecimal total, long purchases) {}

  /** A user's totals per currency, and which currency the last purchase changed. */
  public record Totals(Map<String, CurrencyTotal> byCurrency, String lastCurrency) {
    static Totals none() {
      return new Totals(new TreeMap<>(), null);
    }

    Totals add(String currency, BigDecimal amount) {
      Map<String, CurrencyTotal> updated = new TreeMap<>(byCurrency);
      updated.merge(
          currency,
          new CurrencyTotal(amount, 1),
          (a, b) -> new CurrencyTotal(a.total().add(b.total()), a.purchases() + b.purchases()));
      return new Totals(updated, currency);
    }

    public Revenue revenue(String userId, String currency) {
      CurrencyTotal total = byCurrency.get(currency);
      return new Revenue(userId, currency, total.total(), total.purchases());
    }
  }

  static void addTo(
      KStream<String, UserEvent> events, StreamsSettings settings, Results.Listener listener) {
    events
        .filter((user, event) -> isPurchase(event), Named.as("revenue-purchases"))
        .groupByKey(Grouped.with("revenue-by-user", Serdes.String(), UserEventSerde.serde()))
        .aggregate(
            Totals::none,
            (user, purchase, totals) -> totals.add(currency(purchase), amount(purchase)),
            Named.as("revenue-aggregate"),
            Materialized.<String, Totals, KeyValueStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(JsonSerde.of(Totals.class))
                .withCachingDisabled())
        .toStream(Named.as("revenue-changes"))
        .mapValues(
            (user, totals) -> totals.revenue(user, totals.lastCurrency()),
            Named.as("revenue-result"))
        .peek((user, revenue) -> listener.revenueChanged(revenue), Named.as("revenue-listener"))
        .to(
            settings.revenueTopic(),
            Produced.with(Serdes.String(), JsonSerde.of(Revenue.class)).withName("revenue-sink"));
  }

  /** A purchase with a numeric amount and a currency; other purchases are not counted. */
  static boolean isPurchase(UserEvent event) {
    return event.eventType() == EventType.PURCHASE
        && event.properties().get("amount") instanceof Number
        && event.properties().get("currency") instanceof String;
  }

  private static String currency(UserEvent purchase) {
    return (String) purchase.properties().get("currency");
  }

  private static BigDecimal amount(UserEvent purchase) {
    Object amount = purchase.properties().get("amount");
    return amount instanceof BigDecimal decimal ? decimal : new BigDecimal(amount.toString());
  }
}
