package dev.allotment.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Random;

/**
 * The sample's calls, {@value #CALLS} of them, as a CDR file {@code consume} reads: the 200
 * sample customers calling between {@link #FROM} and {@link #UNTIL} (the months a run for
 * 2026-07-01 grants minutes for), to the UK, India and North America (the {@code intl-1000}
 * bundle's {@code ^44|^91|^1}), France ({@code france-300}'s {@code ^33}), and Germany and Spain,
 * which no bundle covers; some calls on one of the customer's DIDs. Generated from a fixed seed.
 */
final class SampleCalls {
  static final int CALLS = 10_000;
  static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant UNTIL = Instant.parse("2026-07-11T00:00:00Z");
  private static final long SEED = 1313;
  /** Dialed prefixes, the digits after each, and the share of calls in thousandths (cumulative). */
  private static final String[] PREFIXES = {"44", "91", "1", "33", "49", "34"};
  private static final int[] DIGITS = {10, 10, 10, 9, 10, 9};
  private static final int[] UP_TO = {300, 450, 650, 800, 900, 1000};

  private SampleCalls() {}

  static void write(Writer out, SampleData.Sample sample) throws IOException {
    Random random = new Random(SEED);
    long span = UNTIL.getEpochSecond() - FROM.getEpochSecond();
    CsvMapper csv = CsvMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();
    try (SequenceWriter rows = csv.writer().writeValues(out)) {
      rows.write(CdrFile.COLUMNS.toArray(String[]::new));
      for (int i = 1; i <= CALLS; i++) {
        SampleData.Customer customer = sample.customers().get(random.nextInt(sample.customers().size()));
        Instant start = FROM.plusSeconds((long) (random.nextDouble() * span));
        String did = random.nextDouble() < 0.6 ? customer.dids().get(random.nextInt(customer.dids().size())) : "";
        // Mostly short calls, a few long ones: exponential, a mean of four minutes, at most an hour.
        long duration = Math.min(3600, 1 + (long) (-Math.log(1 - random.nextDouble()) * 240));
        rows.write(new String[] {String.format("call-%05d", i), customer.id(), did, number(random),
            start.toString(), Long.toString(duration)});
      }
    }
  }

  private static String number(Random random) {
    int pick = random.nextInt(1000);
    int p = 0;
    while (pick >= UP_TO[p]) {
      p++;
    }
    StringBuilder number = new StringBuilder(PREFIXES[p]);
    for (int d = 0; d < DIGITS[p]; d++) {
      number.append((char) ('0' + random.nextInt(10)));
    }
    return number.toString();
  }
}
