package dev.allotment.engine;

import dev.allotment.core.Successor;
import dev.allotment.core.Assignment;
import dev.allotment.core.ChargeLine;
import dev.allotment.core.FirstPeriod;
import dev.allotment.core.Frequency;
import dev.allotment.core.FrequencyMatch;
import dev.allotment.core.LineKey;
import dev.allotment.core.PackageType;
import dev.allotment.core.ServicePackage;
import dev.allotment.core.ServicePackageBuilder;
import dev.allotment.core.Suspension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An oracle of plan changes and suspensions for {@link LifecycleProperties}, written from
 * domain.md only: occurrence dates by the frequency rules (month days clamped), active days, the
 * billed period of each active day, and from those the journal an assignment chain must net to.
 * Journals (expected and actual) are compared as maps from the key of the original line to its net
 * money ({@code retail/cost}) or its grant's final state ({@code seconds until date}), so the
 * sequence numbers and due dates of adjustments do not matter.
 */
final class LifecycleModel {
  private LifecycleModel() {}

  /** A package: match = days of week 1..7 (WEEKLY) or days of month (MONTHLY), never empty for those. */
  record Pkg(String id, Frequency frequency, List<Integer> match, int retailCents, int costCents, int setupCents,
      boolean minutes, FirstPeriod firstPeriod) {
    ServicePackage toPackage() {
      ServicePackageBuilder b = ServicePackage.builder(id).name("P " + id).currency("USD")
          .retail(BigDecimal.valueOf(retailCents, 2)).cost(BigDecimal.valueOf(costCents, 2))
          .setupRetail(BigDecimal.valueOf(setupCents, 2)).frequency(frequency).firstPeriod(firstPeriod);
      if (frequency == Frequency.WEEKLY) {
        b.frequencyMatch(FrequencyMatch.daysOfWeek(match.stream().map(DayOfWeek::of).toList()));
      } else if (frequency == Frequency.MONTHLY) {
        b.frequencyMatch(FrequencyMatch.daysOfMonth(match));
      }
      if (minutes) {
        b.types(PackageType.FREE_MINUTES);
      }
      return b.build();
    }

    /** domain.md "Frequency rules": a month day the month lacks falls on its last day (CLAMP). */
    boolean occurs(LocalDate d) {
      return switch (frequency) {
        case DAILY -> true;
        case WEEKLY -> match.contains(d.getDayOfWeek().getValue());
        case MONTHLY -> match.contains(d.getDayOfMonth())
            || (d.getDayOfMonth() == d.lengthOfMonth() && match.stream().anyMatch(m -> m > d.lengthOfMonth()));
        default -> throw new IllegalStateException("not modelled: " + frequency);
      };
    }

    LocalDate ruleStart(LocalDate d) {
      while (!occurs(d)) {
        d = d.minusDays(1);
      }
      return d;
    }

    LocalDate nextOccurrence(LocalDate d) {
      d = d.plusDays(1);
      while (!occurs(d)) {
        d = d.plusDays(1);
      }
      return d;
    }
  }

  /** One assignment of a chain; suspensions as [from, on) with on null while open. */
  static final class Member {
    final String id;
    final Pkg pkg;
    final int quantity;
    final LocalDate start;
    LocalDate end;
    final List<LocalDate[]> suspensions = new ArrayList<>();
    final String previousPackage;
    final Integer minutes;

    Member(String id, Pkg pkg, int quantity, LocalDate start, LocalDate end, String previousPackage, Integer minutes) {
      this.id = id;
      this.pkg = pkg;
      this.quantity = quantity;
      this.start = start;
      this.end = end;
      this.previousPackage = previousPackage;
      this.minutes = minutes;
    }

    boolean suspendedOn(LocalDate d) {
      return suspensions.stream().anyMatch(s -> !d.isBefore(s[0]) && (s[1] == null || d.isBefore(s[1])));
    }

    boolean active(LocalDate d) {
      return !d.isBefore(start) && (end == null || !d.isAfter(end)) && !suspendedOn(d);
    }

    /** The first day of the billed period holding active day d: its rule date, or a later start or resume day. */
    LocalDate billedStart(LocalDate d) {
      LocalDate runStart = start;
      for (LocalDate[] s : suspensions) {
        if (s[1] != null && !s[1].isAfter(d) && s[1].isAfter(runStart)) {
          runStart = s[1];
        }
      }
      LocalDate rule = pkg.ruleStart(d);
      return rule.isAfter(runStart) ? rule : runStart;
    }

    Optional<LocalDate[]> open() {
      return suspensions.isEmpty() || suspensions.get(suspensions.size() - 1)[1] != null ? Optional.empty()
          : Optional.of(suspensions.get(suspensions.size() - 1));
    }

    /** What the store should hold: package, quantity, dates and suspensions. */
    String terms() {
      List<String> s = suspensions.stream().map(x -> x[0] + ".." + (x[1] == null ? "" : x[1])).toList();
      return id + " " + pkg.id() + " x" + quantity + " " + start + ".." + (end == null ? "" : end) + " " + s;
    }

    static String terms(Assignment a) {
      List<String> s = a.suspensions().stream().map(Suspension::toString).toList();
      return a.id() + " " + a.packageId() + " x" + a.quantity() + " " + a.startDate() + ".."
          + a.endDate().map(LocalDate::toString).orElse("") + " " + s;
    }
  }

  /** What to do: kind, the day it is asked, a date offset from that day, and for changes the new package and quantity. */
  enum Kind { CHANGE_IMMEDIATE, CHANGE_NEXT_PERIOD, SUSPEND, RESUME, UNASSIGN }

  /** An operation on the chain's head: package -1 and quantity 0 keep the head's. */
  record Op(int day, Kind kind, int offset, int pkg, int quantity) {}

  /**
   * The refusal of a suspend or resume asked again with the day it was done with: the engine
   * documents it as changing nothing ("asking again for the same day changes nothing"), and the
   * rules' "resuming an assignment that is not suspended is refused" may read either way, so either
   * is accepted; the model does not change.
   */
  static final String ASKED_AGAIN = "asked again";

  /**
   * Whether the rules refuse {@code op} asked on {@code asked} of the chain's head: the reason, or
   * null when it must be accepted. For a change, {@code effective[0]} receives the effective date.
   */
  static String refusal(List<Member> chain, List<Pkg> catalog, Op op, LocalDate asked, LocalDate[] effective) {
    Member head = chain.get(chain.size() - 1);
    LocalDate date = asked.plusDays(op.offset());
    switch (op.kind()) {
      case SUSPEND -> {
        if (date.isBefore(head.start) || (head.end != null && date.isAfter(head.end))) {
          return "from outside the assignment";
        }
        if (head.open().isPresent()) {
          return head.open().get()[0].equals(date) ? ASKED_AGAIN : "already suspended";
        }
        if (!head.suspensions.isEmpty() && !date.isAfter(head.suspensions.get(head.suspensions.size() - 1)[1])) {
          return "overlaps or touches the last suspension";
        }
        return null;
      }
      case RESUME -> {
        Optional<LocalDate[]> open = head.open();
        if (open.isEmpty()) {
          boolean again = !head.suspensions.isEmpty() && date.equals(head.suspensions.get(head.suspensions.size() - 1)[1]);
          return again ? ASKED_AGAIN : "not suspended";
        }
        return date.isAfter(open.get()[0]) ? null : "on not after from";
      }
      case UNASSIGN -> {
        return date.isBefore(head.start) ? "end before start (minimum days 0)" : null;
      }
      default -> {
        Pkg to = op.pkg() < 0 ? head.pkg : catalog.get(op.pkg());
        int quantity = op.quantity() == 0 ? head.quantity : op.quantity();
        LocalDate eff = date;
        if (op.kind() == Kind.CHANGE_NEXT_PERIOD) {
          eff = null;
          for (LocalDate d = date.plusDays(1); d.isBefore(date.plusDays(400)); d = d.plusDays(1)) {
            if (head.active(d) && head.billedStart(d).equals(d)) {
              eff = d;
              break;
            }
          }
          if (eff == null) {
            return "no period begins after " + date;
          }
        }
        effective[0] = eff;
        if (to.id().equals(head.pkg.id()) && quantity == head.quantity) {
          return "changes nothing";
        }
        if (!eff.isAfter(head.start)) {
          return "effective not after start";
        }
        if (head.end != null && head.end.isBefore(eff)) {
          return "ended before effective";
        }
        for (LocalDate[] s : head.suspensions) {
          if (!s[0].isBefore(eff) || s[1] == null || s[1].isAfter(eff)) {
            return "effective within or before a suspension";
          }
        }
        if (to.minutes() && head.minutes == null) {
          return "no minutes to carry over to a free-minutes package";
        }
        return null;
      }
    }
  }

  /** Applies an accepted {@code op} to the chain, as the rules say the store changes. */
  static void apply(List<Member> chain, List<Pkg> catalog, Op op, LocalDate asked, LocalDate effective) {
    Member head = chain.get(chain.size() - 1);
    LocalDate date = asked.plusDays(op.offset());
    switch (op.kind()) {
      case SUSPEND -> head.suspensions.add(new LocalDate[] {date, null});
      case RESUME -> head.open().orElseThrow()[1] = date;
      case UNASSIGN -> head.end = date;
      default -> {
        Pkg to = op.pkg() < 0 ? head.pkg : catalog.get(op.pkg());
        int quantity = op.quantity() == 0 ? head.quantity : op.quantity();
        LocalDate oldEnd = head.end;
        head.end = effective.minusDays(1);
        chain.add(new Member(Successor.id(head.id, effective), to, quantity, effective, oldEnd,
            head.pkg.id(), to.minutes() ? head.minutes : null));
      }
    }
  }

  /**
   * What the journal of the chain must net to once charged through {@code runDate}: per billed
   * period starting on or before it, under PRORATED retail x quantity x days / days of its whole
   * rule period, rounded once HALF_UP (likewise cost; seconds rounded down, valid until the
   * period's end); the setup unless a successor keeps the package. Zero money and zero grants are
   * left out. Under FULL a stub or cut bills the whole period; under FREE a cut bills the whole
   * period and the first stub nothing, but a stub opened by a resume or a plan change is PRORATED.
   */
  static Map<String, String> expected(List<Member> chain, LocalDate runDate) {
    Map<String, String> lines = new TreeMap<>();
    for (Member m : chain) {
      boolean setup = m.previousPackage == null || !m.previousPackage.equals(m.pkg.id());
      if (setup && !m.start.isAfter(runDate) && m.pkg.setupCents() > 0) {
        lines.put(m.id + "/SETUP/" + m.start, money(BigDecimal.valueOf((long) m.pkg.setupCents() * m.quantity, 2),
            BigDecimal.ZERO));
      }
      Map<LocalDate, long[]> periods = new TreeMap<>(); // start -> {days, whole days}
      Map<LocalDate, LocalDate> ends = new TreeMap<>();
      LocalDate last = m.end != null ? m.end : runDate.plusDays(40);
      for (LocalDate d = m.start; !d.isAfter(last); d = d.plusDays(1)) {
        if (m.active(d) && !m.billedStart(d).isAfter(runDate)) {
          LocalDate s = m.billedStart(d);
          long whole = ChronoUnit.DAYS.between(m.pkg.ruleStart(d), m.pkg.nextOccurrence(d));
          periods.computeIfAbsent(s, k -> new long[] {0, whole})[0]++;
          ends.put(s, d.plusDays(1));
        }
      }
      periods.forEach((s, share) -> {
        LocalDate ruleStart = m.pkg.ruleStart(s);
        boolean stub = s.isAfter(ruleStart);
        boolean cut = ends.get(s).isBefore(m.pkg.nextOccurrence(s));
        boolean opened = m.previousPackage != null || !s.equals(m.start); // by a plan change or a resume
        FirstPeriod policy = m.pkg.firstPeriod();
        FirstPeriod stubPolicy = opened && policy == FirstPeriod.FREE ? FirstPeriod.PRORATED : policy;
        if (stub && stubPolicy == FirstPeriod.FREE) {
          return;
        }
        if (!((stub && stubPolicy == FirstPeriod.PRORATED) || (cut && policy == FirstPeriod.PRORATED))) {
          share[0] = share[1];
        }
        BigDecimal retail = share(m.pkg.retailCents(), m.quantity, share);
        BigDecimal cost = share(m.pkg.costCents(), m.quantity, share);
        if (retail.signum() != 0 || cost.signum() != 0) {
          lines.put(m.id + "/RECURRING/" + s, money(retail, cost));
        }
        if (m.pkg.minutes()) {
          long seconds = 60L * m.minutes * m.quantity * share[0] / share[1];
          if (seconds > 0) {
            lines.put(m.id + "/FREE_MINUTES/" + s, seconds + "s until " + ends.get(s));
          }
        }
      });
    }
    return lines;
  }

  private static BigDecimal share(int cents, int quantity, long[] share) {
    return BigDecimal.valueOf((long) cents * quantity * share[0], 2).divide(BigDecimal.valueOf(share[1]), 2,
        RoundingMode.HALF_UP);
  }

  private static String money(BigDecimal retail, BigDecimal cost) {
    return retail.setScale(2).toPlainString() + "/" + cost.setScale(2).toPlainString();
  }

  /**
   * The journal as {@link #expected} states it: money lines netted with their adjustments by the
   * key of the line adjusted; a grant at its latest revision. Zero nets, and grants a revision
   * voided (no seconds, or valid until their own start), are left out.
   */
  static Map<String, String> actual(PackageBilling billing, List<Member> chain) {
    return net(billing, chain.stream().map(m -> m.id).toList());
  }

  /** {@link #actual} of the assignments with these ids. */
  static Map<String, String> net(PackageBilling billing, List<String> assignmentIds) {
    Map<String, String> lines = new TreeMap<>();
    for (String id : assignmentIds) {
      Map<LineKey, BigDecimal[]> money = new TreeMap<>();
      Map<LineKey, ChargeLine> grants = new TreeMap<>();
      for (ChargeLine l : billing.charged(id)) {
        LineKey k = l.key().adjusted();
        switch (l.kind()) {
          case FREE_MINUTES, GRANT_ADJUSTMENT -> grants.merge(k, l,
              (a, b) -> a.key().sequence() >= b.key().sequence() ? a : b);
          default -> {
            BigDecimal[] sum = money.computeIfAbsent(k, x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            sum[0] = sum[0].add(l.retail().amount());
            sum[1] = sum[1].add(l.cost().amount());
          }
        }
      }
      money.forEach((k, sum) -> {
        if (sum[0].signum() != 0 || sum[1].signum() != 0) {
          lines.put(k.toString(), money(sum[0], sum[1]));
        }
      });
      grants.forEach((k, g) -> {
        boolean voided = g.grantSeconds() == 0 || g.grantValidUntil().filter(k.periodStart()::equals).isPresent();
        if (!voided) {
          lines.put(k.toString(), g.grantSeconds() + "s until " + g.grantValidUntil().map(Object::toString).orElse("-"));
        }
      });
    }
    return lines;
  }
}
