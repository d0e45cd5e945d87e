package dev.allotment.engine;

import static dev.allotment.engine.Fixtures.JAN_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.allotment.core.Assignment;
import dev.allotment.core.LineStatus;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Partitions 0..n-1 together charge exactly what one unpartitioned run charges, disjointly. */
final class PartitionTest {
  private static final LocalDate RUN = LocalDate.of(2026, 3, 31);

  private static World world() {
    List<Assignment> assignments = new java.util.ArrayList<>(Fixtures.mixedAssignments(30, JAN_1));
    // More customers than the fixtures' seven, so every partition gets some.
    for (int i = 0; i < 30; i++) {
      assignments.add(Assignment.builder("x" + i).customerId("customer-" + i).packageId("monthly").startDate(JAN_1)
          .autoDecrementCredit(true).build());
    }
    return new World(CreditPolicy.ALLOW_NEGATIVE, 11).define(Fixtures.mixedCatalog(), assignments);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5})
  void partitionsTogetherChargeWhatOneRunCharges(int count) {
    World whole = world();
    RunReport single = whole.clean().run(RUN, RunMode.CHARGE);

    World split = world();
    Set<String> charged = new HashSet<>();
    long total = 0;
    for (int i = 0; i < count; i++) {
      RunRequest.Partition partition = new RunRequest.Partition(i, count);
      RunReport report = split.clean().run(RunRequest.of(RUN, RunMode.CHARGE).inPartition(i, count));
      for (var line : report.lines()) {
        assertTrue(partition.contains(line.line().customerId()), line + " outside " + partition);
        if (line.status() == LineStatus.CHARGED) {
          assertTrue(charged.add(line.line().key().toString()), "charged twice: " + line);
        }
      }
      total += report.summary().count(LineStatus.CHARGED);
      if (count > 1) {
        assertTrue(report.summary().assignmentsPlanned() < single.summary().assignmentsPlanned(),
            "partition " + partition + " planned a share only");
      }
    }

    assertEquals(single.summary().count(LineStatus.CHARGED), total);
    World.assertSameOutcome(whole.outcome(), split.outcome(), count + " partitions");
  }

  @Test
  void partitionsFollowTheSpecifiedStringHash() {
    // "c1".hashCode() = 'c' * 31 + '1' = 99 * 31 + 49 = 3118; 3118 mod 4 = 2.
    assertTrue(new RunRequest.Partition(2, 4).contains("c1"));
    assertEquals("partition 2/4", RunRequest.of(JAN_1, RunMode.CHARGE).inPartition(2, 4).scope());
    assertEquals("customer c1, partition 0/2",
        RunRequest.of(JAN_1, RunMode.CHARGE).forCustomer("c1").inPartition(0, 2).scope());
    assertThrows(IllegalArgumentException.class, () -> new RunRequest.Partition(4, 4));
    assertThrows(IllegalArgumentException.class, () -> new RunRequest.Partition(0, 0));
  }
}
