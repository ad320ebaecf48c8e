package dev.kafkademo.support;

/** The images the Compose stack runs; the container tests run the same ones. */
public final class ComposeStack {
  /** Kept equal to docker-compose.yml by ComposeFileTest. */
  public static final String CP_KAFKA_IMAGE = "confluentinc/cp-kafka:7.9.11";

  private ComposeStack() {}
}
