package dev.tollgate.speckit.internal.tasks;

import java.util.List;

/**
 * A task id such as {@code T001}, {@code T2.1.3}, {@code EC005.1} or {@code T072b}: a letter
 * prefix, one or more numeric parts and an optional lower-case suffix.
 */
record TaskId(String text, String prefix, List<Integer> parts, String suffix)
    implements Comparable<TaskId> {

  /** Parses an id matched by {@link Syntax#ID}; returns null for anything else. */
  static TaskId parse(String text) {
    int i = 0;
    while (i < text.length() && Character.isUpperCase(text.charAt(i))) {
      i++;
    }
    if (i == 0 || i == text.length()) {
      return null;
    }
    String prefix = text.substring(0, i);
    int end = text.length();
    String suffix = "";
    if (Character.isLowerCase(text.charAt(end - 1))) {
      suffix = text.substring(end - 1);
      end--;
    }
    String[] pieces = text.substring(i, end).split("\\.", -1);
    Integer[] parts = new Integer[pieces.length];
    for (int p = 0; p < pieces.length; p++) {
      String piece = pieces[p];
      if (piece.isEmpty() || piece.length() > 9) {
        return null;
      }
      for (int c = 0; c < piece.length(); c++) {
        if (piece.charAt(c) < '0' || piece.charAt(c) > '9') {
          return null;
        }
      }
      parts[p] = Integer.parseInt(piece);
    }
    return new TaskId(text, prefix, List.of(parts), suffix);
  }

  /** Numeric order part by part, a shorter id before its extensions, then the suffix. */
  @Override
  public int compareTo(TaskId o) {
    int n = Math.min(parts.size(), o.parts.size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(parts.get(i), o.parts.get(i));
      if (c != 0) {
        return c;
      }
    }
    int c = Integer.compare(parts.size(), o.parts.size());
    return c != 0 ? c : suffix.compareTo(o.suffix);
  }

  /** The same id with its last numeric part replaced, keeping the zero padding. */
  String withLast(int value) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        sb.append('.');
      }
      int v = i == parts.size() - 1 ? value : parts.get(i);
      String s = Integer.toString(v);
      int width = widthOf(i);
      for (int pad = s.length(); pad < width; pad++) {
        sb.append('0');
      }
      sb.append(s);
    }
    return sb.toString();
  }

  private int widthOf(int partIndex) {
    String[] pieces = text.substring(prefix.length(), text.length() - suffix.length()).split("\\.");
    return partIndex < pieces.length ? pieces[partIndex].length() : 1;
  }
}
