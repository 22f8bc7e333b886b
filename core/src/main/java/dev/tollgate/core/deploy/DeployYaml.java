package dev.tollgate.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.config.ConfigDocument;
import dev.tollgate.core.config.ConfigSchema;
import dev.tollgate.core.config.DidYouMean;
import dev.tollgate.core.config.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The YAML form of a deploy spec: merges a file with the files it inherits and turns the result
 * into a {@link DeploySpec}, making the checks a JSON Schema cannot (durations, time zones, cron
 * expressions, one kind per check), each reported at the {@code file:line:column} of the file the
 * value came from.
 */
final class DeployYaml {
  /** The JSON Schema every deploy spec file must satisfy on its own. */
  public static final ConfigSchema SCHEMA =
      ConfigSchema.fromResource(DeployYaml.class, "/dev/tollgate/core/deploy/deploy.schema.json");

  private final List<ConfigDocument> chain;
  private final JsonNode root;
  private final List<Diagnostic> errors = new ArrayList<>();

  private DeployYaml(List<ConfigDocument> chain) {
    this.chain = chain;
    ObjectNode merged = ((ObjectNode) chain.get(chain.size() - 1).root()).deepCopy();
    for (int i = chain.size() - 2; i >= 0; i--) {
      merged = merge(merged, (ObjectNode) chain.get(i).root());
    }
    merged.remove("inherit");
    this.root = merged;
  }

  /** The result of reading a spec: the spec, or the problems that prevented it. */
  public record Read(Optional<DeploySpec> spec, List<Diagnostic> errors) {}

  /**
   * Merges {@code chain} (the environment's own file first, then the file it inherits, and so on)
   * and reads the result as the spec of {@code environment}.
   */
  public static Read toSpec(List<ConfigDocument> chain, String environment) {
    return new DeployYaml(List.copyOf(chain)).read(environment);
  }

  /**
   * {@code base} with {@code over} laid on top: mappings merge key by key, recursively; any other
   * value in {@code over}, lists included, replaces the base's.
   */
  public static ObjectNode merge(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = over.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = out.get(e.getKey());
      if (existing != null && existing.isObject() && e.getValue().isObject()) {
        out.set(e.getKey(), merge((ObjectNode) existing, (ObjectNode) e.getValue()));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }

  private Read read(String environment) {
    if (!root.has("deploy")) {
      errors.add(
          chain
              .get(0)
              .error(
                  "",
                  "deploy is required: the spec"
                      + (chain.size() > 1 ? " and the files it inherits" : "")
                      + " must say how to deploy",
                  "Add deploy: {shell: ./scripts/deploy.sh}."));
    }
    LockSpec lock =
        new LockSpec(
            duration("/lock/lease", LockSpec.DEFAULT_LEASE, true),
            duration("/lock/stale_after", LockSpec.DEFAULT_STALE_AFTER, true));
    WindowSpec windows = windows();
    ChangePolicy change = change();
    Optional<Check> backup = optionalCheck("/backup", "backup", false);
    List<Check> smokePre = checks("/smoke_pre", true);
    Optional<Check> deploy = optionalCheck("/deploy", "deploy", false);
    List<Check> smokePost = checks("/smoke_post", false);
    Optional<Check> rollback = optionalCheck("/rollback", "rollback", false);
    Optional<HttpCheck> zeroDowntime = Optional.empty();
    Optional<Check> zd = optionalCheck("/zero_downtime", "zero-downtime", false);
    if (zd.isPresent()) {
      if (zd.get() instanceof HttpCheck h) {
        zeroDowntime = Optional.of(h);
      } else {
        errors.add(error("/zero_downtime", "zero_downtime must be an http check", null));
      }
    }
    List<String> globs = new ArrayList<>();
    root.path("record").path("globs").forEach(g -> globs.add(g.asText()));
    if (!errors.isEmpty()) {
      return new Read(Optional.empty(), List.copyOf(errors));
    }
    try {
      return new Read(
          Optional.of(
              new DeploySpec(
                  environment,
                  lock,
                  windows,
                  change,
                  backup,
                  smokePre,
                  deploy.orElseThrow(),
                  smokePost,
                  rollback,
                  zeroDowntime,
                  new RecordSpec(globs))),
          List.of());
    } catch (IllegalArgumentException e) {
      return new Read(Optional.empty(), List.of(error("", e.getMessage(), null)));
    }
  }

  private WindowSpec windows() {
    JsonNode w = root.path("windows");
    ZoneId zone = ZoneId.of("UTC");
    if (w.has("timezone")) {
      String text = w.get("timezone").asText();
      try {
        zone = ZoneId.of(text);
      } catch (DateTimeException e) {
        String message =
            "windows.timezone must be an IANA time zone like Europe/Berlin but was '" + text + "'";
        Optional<String> s = DidYouMean.suggest(text, ZoneId.getAvailableZoneIds());
        if (s.isPresent()) {
          message += "; did you mean `" + s.get() + "`?";
        }
        errors.add(error("/windows/timezone", message, null));
      }
    }
    List<Window> allow = windowList("/windows/allow", zone);
    List<Window> deny = windowList("/windows/deny", zone);
    Duration runway = duration("/windows/runway", Duration.ZERO, false);
    WindowSpec.OnClose onClose =
        WindowSpec.OnClose.valueOf(w.path("on_close").asText("finish").toUpperCase(Locale.ROOT));
    return new WindowSpec(zone, allow, deny, runway, onClose);
  }

  private List<Window> windowList(String pointer, ZoneId zone) {
    List<Window> out = new ArrayList<>();
    JsonNode list = root.at(pointer);
    for (int i = 0; i < list.size(); i++) {
      String p = ConfigDocument.child(pointer, i);
      JsonNode n = list.get(i);
      String where = displayPath(p);
      Optional<String> name =
          n.has("name") ? Optional.of(n.get("name").asText()) : Optional.empty();
      boolean recurring = n.has("cron") || n.has("duration");
      boolean oneOff = n.has("start") || n.has("end");
      if (recurring == oneOff) {
        errors.add(
            error(
                p,
                where
                    + (recurring
                        ? " mixes cron/duration with start/end"
                        : " has neither cron + duration nor start + end"),
                "A window is either recurring (cron: \"0 9 * * 1-5\", duration: 8h) or one-off"
                    + " (start: 2026-12-24T00:00, end: 2026-12-27T00:00)."));
        continue;
      }
      if (recurring) {
        if (!n.has("cron") || !n.has("duration")) {
          errors.add(error(p, where + " needs both cron and duration", null));
          continue;
        }
        Duration d = duration(ConfigDocument.child(p, "duration"), Duration.ofHours(1), true);
        try {
          out.add(new Window.Recurring(name, n.get("cron").asText(), d));
        } catch (IllegalArgumentException e) {
          errors.add(
              error(ConfigDocument.child(p, "cron"), where + ".cron: " + e.getMessage(), null));
        }
      } else {
        if (!n.has("start") || !n.has("end")) {
          errors.add(error(p, where + " needs both start and end", null));
          continue;
        }
        Optional<Instant> start = instant(ConfigDocument.child(p, "start"), zone);
        Optional<Instant> end = instant(ConfigDocument.child(p, "end"), zone);
        if (start.isPresent() && end.isPresent()) {
          if (!end.get().isAfter(start.get())) {
            errors.add(
                error(
                    ConfigDocument.child(p, "end"),
                    where + ".end must be after start but was not",
                    null));
          } else {
            out.add(new Window.OneOff(name, start.get(), end.get()));
          }
        }
      }
    }
    return out;
  }

  private Optional<Instant> instant(String pointer, ZoneId zone) {
    String text = root.at(pointer).asText();
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeException e) {
      // not with an offset: read it as a local date-time in the window's zone
    }
    try {
      return Optional.of(ZonedDateTime.of(LocalDateTime.parse(text), zone).toInstant());
    } catch (DateTimeException e) {
      errors.add(
          error(
              pointer,
              displayPath(pointer)
                  + " must be a date-time like 2026-12-24T18:00 or 2026-12-24T18:00+01:00 but was '"
                  + text
                  + "'",
              null));
      return Optional.empty();
    }
  }

  private ChangePolicy change() {
    JsonNode c = root.path("change");
    Map<ChangeType, ChangePolicy.TypePolicy> types = new EnumMap<>(ChangeType.class);
    for (ChangeType t : ChangeType.values()) {
      JsonNode n = c.path("types").path(t.label());
      if (n.isMissingNode()) {
        continue;
      }
      ChangePolicy.TypePolicy d = ChangePolicy.defaultFor(t);
      List<String> approvers = new ArrayList<>();
      n.path("approvers").forEach(a -> approvers.add(a.asText()));
      String p = "/change/types/" + t.label();
      if (t == ChangeType.EMERGENCY && !n.path("reason_required").asBoolean(true)) {
        errors.add(
            error(
                p + "/reason_required",
                "change.types.emergency.reason_required must be true: an emergency always needs a"
                    + " reason",
                "Remove the key; emergencies require a reason."));
        continue;
      }
      try {
        types.put(
            t,
            new ChangePolicy.TypePolicy(
                n.path("approvals").asInt(d.approvals()),
                n.has("approvers") ? approvers : d.approvers(),
                n.path("windows_apply").asBoolean(d.windowsApply()),
                n.path("reason_required").asBoolean(d.reasonRequired())));
      } catch (IllegalArgumentException e) {
        errors.add(error(p, displayPath(p) + ": " + e.getMessage(), null));
      }
    }
    return new ChangePolicy(c.path("required").asBoolean(false), types);
  }

  private List<Check> checks(String pointer, boolean mayStart) {
    List<Check> out = new ArrayList<>();
    Map<String, Integer> first = new LinkedHashMap<>();
    JsonNode list = root.at(pointer);
    for (int i = 0; i < list.size(); i++) {
      String p = ConfigDocument.child(pointer, i);
      String fallbackName = pointer.substring(1) + "-" + (i + 1);
      Optional<Check> c = optionalCheck(p, fallbackName, mayStart);
      if (c.isPresent()) {
        Integer before = first.putIfAbsent(c.get().name(), i);
        if (before != null) {
          errors.add(
              error(
                  ConfigDocument.child(p, "name"),
                  displayPath(p)
                      + ".name '"
                      + c.get().name()
                      + "' is already used by "
                      + displayPath(ConfigDocument.child(pointer, before)),
                  "Give each check its own name."));
        } else {
          out.add(c.get());
        }
      }
    }
    return out;
  }

  private Optional<Check> optionalCheck(String pointer, String fallbackName, boolean mayStart) {
    JsonNode n = root.at(pointer);
    if (n.isMissingNode()) {
      return Optional.empty();
    }
    String where = displayPath(pointer);
    String name = n.path("name").asText(fallbackName);
    int before = errors.size();
    boolean shell = n.has("shell");
    boolean http = n.has("http");
    if (shell == http) {
      errors.add(
          error(
              pointer,
              where
                  + (shell ? " has both 'shell' and 'http'" : " has neither 'shell' nor 'http'")
                  + "; a check does exactly one",
              null));
      return Optional.empty();
    }
    if (http && n.has("env")) {
      errors.add(
          error(
              ConfigDocument.child(pointer, "env"),
              where + ".env applies to shell checks only",
              null));
    }
    Optional<ServerStart> start = Optional.empty();
    if (n.has("start")) {
      String sp = ConfigDocument.child(pointer, "start");
      if (!mayStart) {
        errors.add(
            error(
                sp,
                where + ".start is allowed in smoke_pre checks only",
                "Only a pre-deploy smoke check can start the new build before deploying it."));
      } else {
        JsonNode s = n.get("start");
        start =
            Optional.of(
                new ServerStart(
                    s.path("command").asText(),
                    s.path("health_url").asText(),
                    duration(
                        ConfigDocument.child(sp, "timeout"), ServerStart.DEFAULT_TIMEOUT, true)));
      }
    }
    String tp = ConfigDocument.child(pointer, "timeout");
    try {
      if (shell) {
        Map<String, String> env = new LinkedHashMap<>();
        n.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        Duration timeout = duration(tp, ShellCheck.DEFAULT_TIMEOUT, true);
        if (errors.size() > before) {
          return Optional.empty();
        }
        return Optional.of(new ShellCheck(name, n.get("shell").asText(), env, timeout, start));
      }
      String hp = ConfigDocument.child(pointer, "http");
      JsonNode h = n.get("http");
      List<Integer> codes = new ArrayList<>();
      JsonNode expect = h.path("expect_status");
      if (expect.isArray()) {
        expect.forEach(c -> codes.add(c.asInt()));
      } else if (expect.isInt()) {
        codes.add(expect.asInt());
      }
      Optional<HttpCheck.JsonCondition> json =
          h.has("json")
              ? Optional.of(
                  new HttpCheck.JsonCondition(
                      h.get("json").path("path").asText(), h.get("json").path("equals").asText()))
              : Optional.empty();
      Duration interval =
          duration(ConfigDocument.child(hp, "interval"), HttpCheck.DEFAULT_INTERVAL, false);
      Duration timeout = duration(tp, HttpCheck.DEFAULT_TIMEOUT, true);
      if (errors.size() > before) {
        return Optional.empty();
      }
      return Optional.of(
          new HttpCheck(
              name,
              h.path("url").asText(),
              h.path("method").asText("GET"),
              codes,
              json,
              h.path("retries").asInt(0),
              interval,
              timeout,
              h.path("consecutive_successes").asInt(1),
              start));
    } catch (IllegalArgumentException e) {
      errors.add(error(pointer, where + ": " + e.getMessage(), null));
      return Optional.empty();
    }
  }

  /**
   * The duration at {@code pointer}, or {@code fallback} when absent; on a bad value, records the
   * problem and returns {@code fallback} so later checks still run.
   */
  private Duration duration(String pointer, Duration fallback, boolean positive) {
    JsonNode node = root.at(pointer);
    if (node.isMissingNode()) {
      return fallback;
    }
    String where = displayPath(pointer);
    Duration value;
    try {
      value = Durations.parse(node.asText());
    } catch (IllegalArgumentException e) {
      errors.add(
          error(
              pointer,
              where + " must be a duration like 30s, 5m or 1h30m but was '" + node.asText() + "'",
              e.getMessage() + "."));
      return fallback;
    }
    if (positive && value.isZero()) {
      errors.add(error(pointer, where + " must be longer than 0 but was '0s'", null));
      return fallback;
    }
    return value;
  }

  /** The file the value at {@code pointer} came from: the nearest file in the chain holding it. */
  private ConfigDocument origin(String pointer) {
    for (ConfigDocument d : chain) {
      if (!d.root().at(pointer).isMissingNode()) {
        return d;
      }
    }
    return chain.get(0);
  }

  private String displayPath(String pointer) {
    return origin(pointer).displayPath(pointer);
  }

  private Diagnostic error(String pointer, String message, String hint) {
    return origin(pointer).error(pointer, message, hint);
  }
}
