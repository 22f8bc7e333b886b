package dev.tollgate.core.runs.step;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The secret values of a run (tokens, passwords) that must never appear in what a step emits:
 * {@link #mask} replaces each occurrence by {@value #MASK}. Immutable; {@link #toString} never
 * shows a value.
 *
 * <p>Each line of a multi-line secret is a secret of its own too, since output is emitted line by
 * line. Empty values are ignored. Only the exact text is masked: a secret that a step transforms
 * (encodes, reverses, splits) is not recognised.
 *
 * <p>{@link #isSecretName} is the one place that decides whether a variable's name says it holds a
 * secret; {@link #namedLikeSecrets} collects the values of such variables.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class Secrets {
  /** What replaces a secret. */
  public static final String MASK = "***";

  /**
   * The shortest value {@link #namedLikeSecrets} takes: shorter ones ({@code 1}, {@code true})
   * would mask ordinary output and are hardly secrets.
   */
  public static final int MIN_NAMED_LENGTH = 6;

  /**
   * Names that say "secret": containing TOKEN, SECRET, PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL,
   * or KEY as the end of a word ({@code API_KEY}, {@code APIKEY}, {@code SSH_KEY_FILE}), in any
   * case; {@code KEYBOARD} and {@code KEYTIMEOUT} are not.
   */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|KEY(?![A-Z0-9])).*");

  private static final Secrets NONE = new Secrets(List.of());

  /** Longest first, so a secret containing another is masked whole. */
  private final List<String> values;

  private Secrets(List<String> values) {
    this.values = values;
  }

  /** No secrets: {@link #mask} returns its input. */
  public static Secrets none() {
    return NONE;
  }

  /** The given secret values. */
  public static Secrets of(Collection<String> values) {
    Objects.requireNonNull(values, "values");
    Set<String> all = new LinkedHashSet<>();
    for (String v : values) {
      Objects.requireNonNull(v, "secret value");
      add(all, v);
    }
    return create(all);
  }

  /**
   * Whether a variable called {@code name} holds a secret, judged by its name alone: it contains
   * TOKEN, SECRET, PASSWORD, PASSWD, PASSPHRASE or CREDENTIAL, or a word ending in KEY, in any case
   * ({@code GITHUB_TOKEN}, {@code PGPASSWORD}, {@code AWS_SECRET_ACCESS_KEY}, {@code api_key}).
   */
  public static boolean isSecretName(String name) {
    return name != null && SECRET_NAME.matcher(name).matches();
  }

  /**
   * The values of the variables in {@code variables} whose names {@link #isSecretName say they are
   * secret}, except values shorter than {@value #MIN_NAMED_LENGTH} characters.
   */
  public static Secrets namedLikeSecrets(Map<String, String> variables) {
    Objects.requireNonNull(variables, "variables");
    List<String> found = new ArrayList<>();
    variables.forEach(
        (name, value) -> {
          if (value != null && value.strip().length() >= MIN_NAMED_LENGTH && isSecretName(name)) {
            found.add(value);
          }
        });
    return of(found);
  }

  /** These secrets and {@code others}. */
  public Secrets and(Secrets others) {
    Objects.requireNonNull(others, "others");
    if (others.isEmpty()) {
      return this;
    }
    Set<String> all = new LinkedHashSet<>(values);
    all.addAll(others.values);
    return create(all);
  }

  /** These secrets and one more. */
  public Secrets with(String value) {
    Objects.requireNonNull(value, "value");
    Set<String> all = new LinkedHashSet<>(values);
    add(all, value);
    return create(all);
  }

  private static void add(Set<String> all, String v) {
    if (v.isEmpty()) {
      return;
    }
    all.add(v);
    if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
      for (String line : v.split("\r?\n|\r")) {
        if (!line.isBlank()) {
          all.add(line);
        }
      }
    }
  }

  private static Secrets create(Set<String> all) {
    List<String> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingInt(String::length).reversed().thenComparing(s -> s));
    return sorted.isEmpty() ? NONE : new Secrets(List.copyOf(sorted));
  }

  /** Whether there is no secret. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The length of the longest secret; 0 when there is none. */
  public int maxLength() {
    return values.isEmpty() ? 0 : values.get(0).length();
  }

  /** {@code text} with every occurrence of every secret replaced by {@value #MASK}. */
  public String mask(String text) {
    if (text == null || values.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : values) {
      if (out.contains(v)) {
        out = out.replace(v, MASK);
      }
    }
    return out;
  }

  /**
   * Where to cut {@code text} near {@code preferred} so that no secret occurrence spans the cut:
   * {@code preferred} itself, or the end of an occurrence that crosses it.
   */
  public int safeCut(CharSequence text, int preferred) {
    int cut = Math.min(preferred, text.length());
    String s = text.toString();
    boolean moved = true;
    while (moved) {
      moved = false;
      for (String v : values) {
        int from = Math.max(0, cut - v.length() + 1);
        int at = s.indexOf(v, from);
        while (at >= 0 && at < cut) {
          if (at + v.length() > cut) {
            cut = at + v.length();
            moved = true;
          }
          at = s.indexOf(v, at + 1);
        }
      }
    }
    return cut;
  }

  @Override
  public String toString() {
    return "Secrets[" + values.size() + " values]";
  }
}
