package dev.allotment.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class FrequencyMatchTest {

  @ParameterizedTest(name = "\"{0}\" -> {1} \"{2}\"")
  @CsvSource(delimiter = ';', value = {
      "'';                  EMPTY;         ''",
      "'  ';                EMPTY;         ''",
      "31,15,1;             DAYS_OF_MONTH; 1,15,31",
      "1, 15 ,31;           DAYS_OF_MONTH; 1,15,31",
      "15,15;               DAYS_OF_MONTH; 15",
      "thu,MON;             DAYS_OF_WEEK;  MON,THU",
      "Monday,thursday,SUN; DAYS_OF_WEEK;  MON,THU,SUN",
  })
  void parsesAndPrintsCanonically(String text, FrequencyMatch.Kind kind, String printed) {
    FrequencyMatch match = FrequencyMatch.parse(text);

    assertEquals(kind, match.kind());
    assertEquals(printed, match.toString());
  }
}
