package dev.kafkademo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
  @Test
  void controlCharactersAreEscapedSoOneEventStaysOneLine() {
    assertEquals("evil\\u001b[31m\\nuser", Printable.escape("evil\u001b[31m\nuser"));
    assertEquals("a\\tb\\rc\\u0000", Printable.escape("a\tb\rc\u0000"));
    assertEquals("line\\u2028sep", Printable.escape("line\u2028sep"));
  }

  @Test
  void ordinaryTextIsLeftAsItIs() {
    String text = "user-1 \u00fcnicode \\ back";
    assertSame(text, Printable.escape(text));
    assertEquals("null", Printable.escape(null));
  }

  @Test
  void quotedNamesAreCutSoAnErrorStaysOneReadableLine() {
    assertEquals("'abc'", Printable.quoted("abc"));
    assertEquals(62, Printable.quoted("x".repeat(300)).length());
  }
}
