package dev.kafkademo.kafka;

/** Settings whose values are never printed: what their names say is a secret. */
public final class Secrets {
  public static final String MASK = "********";

  private Secrets() {}

  /** A password, a secret, a JAAS config (which holds a password). */
  public static boolean isSecret(String setting) {
    return setting.contains("password") || setting.contains("secret") || setting.contains("jaas");
  }

  /** The value as it may be shown: masked when the setting is a secret. */
  public static String shown(String setting, String value) {
    return isSecret(setting) ? MASK : value;
  }
}
