package dev.tollgate.controlplane;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.tollgate.core.audit.AuditLog;
import dev.tollgate.core.audit.AuditRecord;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.runs.RunQueue;
import dev.tollgate.core.runs.template.ParamsCipher;
import dev.tollgate.core.runs.template.TemplateCatalog;
import dev.tollgate.core.runs.template.TemplateFiles;
import dev.tollgate.policy.WorkItemService;
import jakarta.servlet.http.HttpServlet;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * The operator's control plane over Tollgate's services: the JSON API under {@code /api/} as one
 * Jakarta Servlet a host mounts at any path ({@code /ops/*}), or {@link ControlPlaneServer} serves.
 *
 * <p>The host supplies the services (each optional: a console without a run queue shows no runs)
 * and the {@link Authenticator}; Tollgate never owns users. Every call is authenticated, checked
 * against its {@link Scope}, and every work-item action against the policy's own gates for the
 * caller's name, exactly as {@code tollgate items do} does.
 */
@API(status = EXPERIMENTAL, since = "0.1.0")
public final class ControlPlane {
  private final WorkItemService workItems;
  private final RunQueue runs;
  private final DeployServices deploys;
  private final AuditLog audit;
  private final java.nio.file.Path specKitRoot;
  private final Supplier<TemplateCatalog> templates;
  private final TemplateFiles templateFiles;
  private final Supplier<Optional<ParamsCipher>> cipher;
  private final Deployments deployments;
  private final java.util.concurrent.atomic.AtomicLong auditFailures =
      new java.util.concurrent.atomic.AtomicLong();
  private final Authenticator authenticator;
  private final Clock clock;
  private final boolean readOnly;
  private final Duration heartbeatStaleAfter;

  private ControlPlane(Builder b) {
    this.workItems = b.workItems;
    this.runs = b.runs;
    this.deploys = b.deploys;
    this.audit = b.audit;
    this.specKitRoot = b.specKitRoot;
    this.templates = b.templates;
    this.templateFiles = b.templateFiles;
    this.cipher = b.cipher;
    this.deployments = new Deployments(b.clock);
    this.authenticator = Objects.requireNonNull(b.authenticator, "authenticator");
    this.clock = b.clock;
    this.readOnly = b.readOnly;
    this.heartbeatStaleAfter = b.heartbeatStaleAfter;
  }

  /** A builder; {@link Builder#authenticator} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A new servlet serving this control plane; mount it at {@code /*} or {@code /prefix/*}. */
  public HttpServlet servlet() {
    return new ApiServlet(this);
  }

  /** The work-item service, when the host gave one. */
  public Optional<WorkItemService> workItems() {
    return Optional.ofNullable(workItems);
  }

  /** The run queue, when the host gave one. */
  public Optional<RunQueue> runs() {
    return Optional.ofNullable(runs);
  }

  /** The deploy services (environments, promotions, change requests, locks), when given. */
  public Optional<DeployServices> deploys() {
    return Optional.ofNullable(deploys);
  }

  /** The project's run templates as they are now (read on every call), when given. */
  public Optional<TemplateCatalog> templates() {
    return templates == null ? Optional.empty() : Optional.of(templates.get());
  }

  /**
   * The checkout's template files the template editor saves into, when the host lets it write them.
   */
  public Optional<TemplateFiles> templateFiles() {
    return Optional.ofNullable(templateFiles);
  }

  /** The project whose Spec Kit the console validates, when given. */
  public Optional<java.nio.file.Path> specKit() {
    return Optional.ofNullable(specKitRoot);
  }

  /** Whether the host gave run templates. */
  boolean hasTemplates() {
    return templates != null;
  }

  /** The key that seals secret ({@code writeOnly}) parameters of runs enqueued here, if any. */
  Optional<ParamsCipher> cipher() {
    return cipher.get();
  }

  /** The audit log every state-changing call is recorded in, when given. */
  public Optional<AuditLog> audit() {
    return Optional.ofNullable(audit);
  }

  /**
   * Records a state-changing call in the audit log, if there is one: who, what, on what, with what
   * status, and why it was refused. A log that cannot be written never fails the call it records;
   * {@link #auditFailures} counts such misses.
   */
  void audit(String actor, String action, String target, int status, String refusal) {
    if (audit == null) {
      return;
    }
    try {
      audit.record(AuditRecord.of(actor, action, target, status, refusal));
    } catch (RuntimeException e) {
      auditFailures.incrementAndGet();
    }
  }

  /** How many audit entries could not be written since this control plane was built. */
  public long auditFailures() {
    return auditFailures.get();
  }

  /** The deploys this control plane started and runs in this process. */
  Deployments deployments() {
    return deployments;
  }

  /** Who is calling. */
  public Authenticator authenticator() {
    return authenticator;
  }

  /** The clock every "now" of the control plane comes from. */
  public Clock clock() {
    return clock;
  }

  /** Whether every state-changing call is refused (403), whatever the caller's scopes. */
  public boolean readOnly() {
    return readOnly;
  }

  /** How long without a heartbeat before a running run is shown as stale. */
  public Duration heartbeatStaleAfter() {
    return heartbeatStaleAfter;
  }

  /** Whether a running run's heartbeat is older than {@link #heartbeatStaleAfter}. */
  boolean stale(dev.tollgate.core.runs.QueueStats.RunningRun run) {
    return run.heartbeatAge().compareTo(heartbeatStaleAfter) > 0;
  }

  /** Builds a {@link ControlPlane}, checking each value as it is set. */
  public static final class Builder {
    private WorkItemService workItems;
    private RunQueue runs;
    private DeployServices deploys;
    private AuditLog audit;
    private java.nio.file.Path specKitRoot;
    private Supplier<TemplateCatalog> templates;
    private TemplateFiles templateFiles;
    private Supplier<Optional<ParamsCipher>> cipher = Optional::empty;
    private Authenticator authenticator;
    private Clock clock = Clock.systemUTC();
    private boolean readOnly;
    private Duration heartbeatStaleAfter = Duration.ofSeconds(30);

    private Builder() {}

    /** Serves the work items of this service's project. */
    public Builder workItems(WorkItemService service) {
      this.workItems = Objects.requireNonNull(service, "service");
      return this;
    }

    /** Serves this run queue. */
    public Builder runs(RunQueue queue) {
      this.runs = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /**
     * Serves these deploy services: the Operations view (environments with their locks, windows and
     * releases, promotions with Approve and Deploy now, change requests, holds and unlocks). A
     * deploy started here runs in this process; the servlet's {@code destroy} stops it (its
     * rollback runs) before the server goes.
     */
    public Builder deploys(DeployServices services) {
      this.deploys = Objects.requireNonNull(services, "services");
      return this;
    }

    /**
     * Serves these run templates: their list, a form generated from each one's parameter schema
     * with a preview of what will run, and enqueuing from it ({@code POST /api/runs}); {@code
     * catalog} is asked on every call, so edits to the files show without a restart. Secret ({@code
     * writeOnly}) parameters are sealed with {@code cipher}'s key; without one, a run that sets one
     * is refused, as {@code tollgate runs enqueue} refuses it. Needs {@link #runs}.
     */
    public Builder templates(
        Supplier<TemplateCatalog> catalog, Supplier<Optional<ParamsCipher>> cipher) {
      this.templates = Objects.requireNonNull(catalog, "catalog");
      this.cipher = Objects.requireNonNull(cipher, "cipher");
      return this;
    }

    /**
     * Lets the template editor save into these files, the local checkout the templates of {@link
     * #templates} are read from: a checked text replaces the file it was edited from (never one
     * changed meanwhile), which needs the {@code deploy} scope, as changing what runs is as
     * powerful as deploying. Without it the editor still checks a text as you type and shows the
     * YAML and the diff to commit; the repository stays the source of truth either way. Needs
     * {@link #templates}.
     */
    public Builder templateFiles(TemplateFiles files) {
      this.templateFiles = Objects.requireNonNull(files, "files");
      return this;
    }

    /**
     * Serves the Spec Kit of the project at {@code projectRoot}: validation status per feature with
     * its findings (validated on every call, with the project's {@code .tollgate/spec-kit.yml}),
     * and a form that generates a new feature or classic kit, as {@code tollgate spec-kit init},
     * offered as a download (nothing is written to the project).
     */
    public Builder specKit(java.nio.file.Path projectRoot) {
      this.specKitRoot = Objects.requireNonNull(projectRoot, "projectRoot");
      return this;
    }

    /**
     * Records every state-changing call (API and console forms, done or refused) in this log: who,
     * what, on what, when, and how it ended. {@code GET /api/audit} reads it.
     */
    public Builder audit(AuditLog log) {
      this.audit = Objects.requireNonNull(log, "log");
      return this;
    }

    /** How callers are identified (required). */
    public Builder authenticator(Authenticator value) {
      this.authenticator = Objects.requireNonNull(value, "authenticator");
      return this;
    }

    /** The clock (default: the system clock in UTC). */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Refuses every state-changing call when {@code true} (default {@code false}). */
    public Builder readOnly(boolean value) {
      this.readOnly = value;
      return this;
    }

    /** When a running run's heartbeat counts as stale (default 30 s, at least 1 s). */
    public Builder heartbeatStaleAfter(Duration value) {
      Objects.requireNonNull(value, "heartbeatStaleAfter");
      if (value.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("heartbeatStaleAfter must be at least 1s, got " + value);
      }
      this.heartbeatStaleAfter = value;
      return this;
    }

    /**
     * The control plane.
     *
     * @throws IllegalStateException when no authenticator was set
     */
    public ControlPlane build() {
      if (authenticator == null) {
        throw new IllegalStateException(
            "an authenticator is required: Authenticator.loopback(name) for a console on this"
                + " machine only, BearerTokens for scripts, or the host's own");
      }
      if (templateFiles != null && templates == null) {
        throw new IllegalStateException(
            "templateFiles needs templates: the editor edits the templates the console serves");
      }
      return new ControlPlane(this);
    }
  }
}
