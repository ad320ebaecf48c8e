package dev.kafkademo.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kafkademo.events.EventType;
import dev.kafkademo.streams.Results.Revenue;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class RevenuePerUserTest {
  @Test
  void everyPurchaseUpdatesItsUsersTotalInItsOwnCurrency() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.buy("user-1", 0, "19.99", "EUR");
      topology.buy("user-2", 5, "5.00", "USD");
      topology.buy("user-1", 10, "0.01", "EUR");
      topology.buy("user-1", 20, "7.50", "USD");
      topology.send("user-1", EventType.PAGE_VIEW, 30); // not a purchase: no change

      assertEquals(
          List.of(
              new Revenue("user-1", "EUR", new BigDecimal("19.99"), 1),
              new Revenue("user-2", "USD", new BigDecimal("5.00"), 1),
              new Revenue("user-1", "EUR", new BigDecimal("20.00"), 2),
              new Revenue("user-1", "USD", new BigDecimal("7.50"), 1)),
          topology.results(topology.settings.revenueTopic(), Revenue.class));
    }
  }

  @Test
  void theStoreHoldsEachUsersTotalsPerCurrency() {
    try (TopologyFixture topology = new TopologyFixture()) {
      topology.buy("user-1", 0, "10", "EUR");
      topology.buy("user-1", 1, "2.5", "USD");
      topology.buy("user-1", 2, "1", "EUR");

      KeyValueStore<String, RevenuePerUser.Totals> store =
          topology.driver.getKeyValueStore(RevenuePerUser.STORE);

      assertEquals(
          Map.of(
              "EUR", new RevenuePerUser.CurrencyTotal(new BigDecimal("11"), 2),
              "USD", new RevenuePerUser.CurrencyTotal(new BigDecimal("2.5"), 1)),
          store.get("user-1").byCurrency());
      assertEquals(null, store.get("user-2"));
    }
  }
}
