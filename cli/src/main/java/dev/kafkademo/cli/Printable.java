package dev.kafkademo.cli;

/** Text from records and files made safe for a terminal line. */
public final class Printable {
  private Printable() {}

  /**
   * Control characters (a newline, ESC) escaped as {@code \n}, {@code \u001b}, so that one event
   * stays one line and cannot move the cursor or change colours. Null stays "null".
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder escaped = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
      if (control) {
        if (escaped == null) {
          escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        switch (c) {
          case '\n' -> escaped.append("\\n");
          case '\r' -> escaped.append("\\r");
          case '\t' -> escaped.append("\\t");
          default -> escaped.append(String.format("\\u%04x", (int) c));
        }
      } else if (escaped != null) {
        escaped.append(c);
      }
    }
    return escaped == null ? text : escaped.toString();
  }

  /** A name as an error message shows it: escaped, and cut to 60 characters. */
  public static String quoted(String text) {
    String escaped = escape(text);
    return "'" + (escaped.length() > 60 ? escaped.substring(0, 57) + "..." : escaped) + "'";
  }
}
