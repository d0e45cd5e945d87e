package dev.allotment.bench;

/**
 * One measured phase: assignments charged (or rows inserted), lines written, wall time, and the
 * CPU time the JVM and (when it runs on this machine) the PostgreSQL server spent meanwhile, or -1.
 */
record PhaseMeasure(long assignments, long lines, long nanos, long jvmCpuNanos, long serverCpuNanos) {
  double assignmentsPerSecond() {
    return assignments / ChargeBenchReport.seconds(nanos);
  }

  double linesPerSecond() {
    return lines / ChargeBenchReport.seconds(nanos);
  }

  /** JVM and server CPU per assignment in microseconds, or -1 when the server's is unknown. */
  double cpuMicrosPerAssignment() {
    return jvmCpuNanos < 0 || serverCpuNanos < 0 ? -1 : (jvmCpuNanos + serverCpuNanos) / 1000.0 / assignments;
  }
}
