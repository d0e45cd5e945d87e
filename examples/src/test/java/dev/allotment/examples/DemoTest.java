package dev.allotment.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's first command runs this program; it must keep working and keep telling the truth. */
final class DemoTest {
  @Test
  void theDemoSimulatesChargesOnceAndConsumesFreeMinutes() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Demo.main(new String[] {"2026-12-01"});
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertTrue(out.contains("Lines: DUE 24, CHARGED 0, ALREADY_CHARGED 0, SKIPPED_NO_CREDIT 0"), out);
    // 3 x 25.00 x 17/31 for the stub from 15 October, then whole months.
    assertTrue(out.contains("acme-line/RECURRING/2026-10-15"), out);
    assertTrue(out.matches("(?s).*acme-line/RECURRING/2026-10-15 .*17/31\\s+41\\.13.*"), out);
    assertTrue(out.contains("== Charged: 24 lines"), out);
    assertTrue(out.contains("== Charged again for the same date: 0 new lines"), out);
    assertTrue(out.contains("had 30000 s for 442079460000; a 125 s call, reported twice, consumed 180 s"), out);
    assertTrue(out.contains("leaving 29820 s"), out);
    assertTrue(out.contains("2027-01-01  business-line  RECURRING     75.00 GBP"), out);
  }
}
