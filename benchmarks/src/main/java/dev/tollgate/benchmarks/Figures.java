package dev.tollgate.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Medians, spreads and percentiles, and their formatting. */
final class Figures {

  private Figures() {}

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** The nearest-rank percentile of {@code sorted} (ascending), {@code p} in 0..100. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  static String f0(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** "median (min–max)". */
  static String spread0(List<Double> values) {
    return f0(median(values)) + " (" + f0(min(values)) + "–" + f0(max(values)) + ")";
  }

  static String spread1(List<Double> values) {
    return f1(median(values)) + " (" + f1(min(values)) + "–" + f1(max(values)) + ")";
  }
}
