package dev.kafkademo;

import java.time.Duration;

/** The one place for the defaults that commands, tests, scripts and the README share. */
public final class Defaults {
  public static final String BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String TOPIC = "user-events";
  public static final String SCHEMA_REGISTRY_URL = "http://localhost:8081";
  public static final String CONNECT_GROUP = "kafka-demo-connect";
  public static final int CONNECT_PORT = 8083;
  public static final String CONNECT_URL = "http://localhost:8083";
  public static final String CONNECT_URL_ENV = "CONNECT_URL";
  public static final String SCHEMA_REGISTRY_URL_ENV = "SCHEMA_REGISTRY_URL";
  public static final String GROUP = "my-consumer-group";
  public static final int BROKER_PORT = 9092;
  public static final int PARTITIONS = 3;
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private Defaults() {}
}
