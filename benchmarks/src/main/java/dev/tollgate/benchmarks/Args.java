package dev.tollgate.benchmarks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} or {@code --flag}. */
final class Args {

  private final Map<String, String> values = new HashMap<>();

  private Args() {}

  static Args parse(String[] args, Set<String> flags, Set<String> options) {
    Args parsed = new Args();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        parsed.put(name.substring(0, eq), name.substring(eq + 1), flags, options);
      } else if (flags.contains(name)) {
        parsed.values.put(name, "true");
      } else if (options.contains(name)) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        parsed.values.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    return parsed;
  }

  private void put(String name, String value, Set<String> flags, Set<String> options) {
    if (!flags.contains(name) && !options.contains(name)) {
      throw new IllegalArgumentException("unknown option --" + name);
    }
    values.put(name, value);
  }

  boolean flag(String name) {
    return Boolean.parseBoolean(values.getOrDefault(name, "false"));
  }

  String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int integer(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--" + name + ": expected a whole number, found '" + v + "'");
    }
  }

  List<Integer> integers(String name, List<Integer> fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    List<Integer> list = new ArrayList<>();
    for (String part : v.split(",")) {
      try {
        list.add(Integer.parseInt(part.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--" + name + ": expected numbers separated by commas, found '" + v + "'");
      }
    }
    return List.copyOf(list);
  }
}
