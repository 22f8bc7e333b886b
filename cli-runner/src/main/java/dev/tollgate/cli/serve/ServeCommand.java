package dev.tollgate.cli.serve;

import dev.tollgate.cli.common.DatabaseOptions;
import dev.tollgate.cli.common.ExitCode;
import dev.tollgate.cli.common.RunnerEnvironment;
import dev.tollgate.cli.common.Session;
import dev.tollgate.cli.common.VersionProvider;
import dev.tollgate.cli.deploy.LockCommands;
import dev.tollgate.controlplane.Authenticator;
import dev.tollgate.controlplane.BearerTokens;
import dev.tollgate.controlplane.ControlPlane;
import dev.tollgate.controlplane.ControlPlaneServer;
import dev.tollgate.controlplane.Scope;
import dev.tollgate.core.TollgateException;
import dev.tollgate.core.deploy.DeploySpec;
import dev.tollgate.core.deploy.service.DeployServices;
import dev.tollgate.core.postgres.PostgresAuditLog;
import dev.tollgate.core.runs.template.RunTemplate;
import dev.tollgate.core.runs.template.TemplateFiles;
import dev.tollgate.policy.PolicyEngine;
import dev.tollgate.policy.WorkItemService;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tollgate serve}: the control plane's API for the project in {@code --dir} and the run
 * queue, on loopback unless told otherwise, until stopped (SIGTERM or Ctrl-C).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    subcommands = ServeCommand.Token.class,
    description = {
      "Serve the control plane (console and JSON API under /api/) for the work items in --dir,"
          + " its deploy environments (.tollgate/deploy/) and the run queue. A deploy started from"
          + " the console runs in this process; stopping the server stops it and its rollback runs"
          + " first. Binds to 127.0.0.1 by default, where anyone on this machine may use it without"
          + " signing in (it says so when it starts); on any other address it needs --tokens or"
          + " --trusted-proxy. Runs until stopped (SIGTERM or Ctrl-C).",
      "Exit codes: 0 stopped, 2 bad input, 3 could not finish (e.g. the port is in use)."
    })
public final class ServeCommand implements Callable<Integer> {

  @Mixin DatabaseOptions db;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "8080",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--prefix",
      paramLabel = "PATH",
      defaultValue = "",
      description = "Path prefix to serve under, e.g. /ops (default: the root).")
  String prefix;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description =
          "Accept the bearer tokens in FILE (one 'NAME SCOPES sha256:HEX' per line; make one with"
              + " `tollgate serve token NAME`).")
  Path tokens;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "ADDRESS",
      split = ",",
      description =
          "Accept identity headers (--user-header) only from these proxy addresses; such users"
              + " get the read and act scopes.")
  List<String> trustedProxies = new ArrayList<>();

  @Option(
      names = "--user-header",
      paramLabel = "NAME",
      defaultValue = "X-Forwarded-User",
      description = "Header a trusted proxy puts the user's name in (default: ${DEFAULT-VALUE}).")
  String userHeader;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      description =
          "Who callers on loopback act as when they do not sign in (default: this account's"
              + " name).")
  String user;

  @Option(names = "--read-only", description = "Refuse every state-changing call.")
  boolean readOnly;

  @Override
  public Integer call() throws InterruptedException {
    db.json();
    if (port < 0 || port > 65535) {
      throw db.usage("--port must be in 0..65535 but was " + port);
    }
    if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
      throw db.usage(
          "--prefix must start with '/' and not end with it, e.g. /ops; was '" + prefix + "'");
    }
    boolean loopback = Authenticator.isLoopbackHost(bind);
    List<Authenticator> authenticators = new ArrayList<>();
    if (tokens != null) {
      try {
        authenticators.add(BearerTokens.read(tokens));
      } catch (TollgateException e) {
        throw db.located(e);
      }
    }
    if (!trustedProxies.isEmpty()) {
      authenticators.add(
          Authenticator.trustedProxy(
              Set.copyOf(trustedProxies), userHeader, EnumSet.of(Scope.READ, Scope.ACT)));
    }
    String localUser = user != null ? user : System.getProperty("user.name", "operator");
    if (loopback) {
      authenticators.add(Authenticator.loopback(localUser));
    } else if (authenticators.isEmpty()) {
      throw db.usage(
          "--bind "
              + bind
              + " is not a loopback address, and without --tokens or --trusted-proxy anyone who"
              + " can reach it could act; give one of them, or bind to 127.0.0.1");
    }
    Path root = db.root();
    PrintWriter out = db.out();
    try (Session s = Session.open(db)) {
      ControlPlane.Builder plane =
          ControlPlane.builder()
              .runs(s.queue())
              .audit(PostgresAuditLog.open(s.db().dataSource(), s.db().schema()))
              .authenticator(Authenticator.firstOf(authenticators.toArray(Authenticator[]::new)))
              .clock(db.clock())
              .readOnly(readOnly);
      if (Files.isRegularFile(root.resolve(".tollgate/policy.yml"))) {
        PolicyEngine engine;
        try {
          engine = PolicyEngine.load(root, db.clock());
        } catch (TollgateException e) {
          throw db.located(e);
        }
        plane.workItems(WorkItemService.of(engine, db.clock()));
      }
      if (Files.isDirectory(root.resolve("specs"))
          || Files.isDirectory(root.resolve("spec"))
          || Files.isDirectory(root.resolve(".specify"))) {
        plane.specKit(root);
      }
      if (Files.isDirectory(root.resolve(RunTemplate.DIRECTORY))) {
        plane.templates(db::templates, () -> RunnerEnvironment.cipher(db.environment()));
        // A local checkout: the template editor may save into it (with the deploy scope).
        plane.templateFiles(TemplateFiles.forProject(root));
      }
      if (Files.isDirectory(root.resolve(DeploySpec.DIRECTORY))) {
        plane.deploys(DeployServices.of(LockCommands.project(db), s, db.clock(), db.environment()));
      }
      ControlPlaneServer server;
      try {
        server = ControlPlaneServer.start(plane.build(), bind, port, prefix);
      } catch (IllegalStateException e) {
        throw new TollgateException(TollgateException.Kind.COULD_NOT_FINISH, e.getMessage(), e);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stopped.countDown();
                try {
                  closed.await(150, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "tollgate-serve-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try (server) {
        out.println("Tollgate control plane at " + server.uri());
        if (loopback) {
          out.println(
              "No sign-in on loopback: anyone on this machine acts as "
                  + localUser
                  + " with every scope (the policy's gates still apply).");
        }
        if (readOnly) {
          out.println("Read-only: every state-changing call is refused.");
        }
        out.flush();
        stopped.await();
        out.println("stopping");
        out.flush();
      } finally {
        closed.countDown();
      }
    }
    return ExitCode.OK;
  }

  /** {@code tollgate serve token NAME}: a new bearer token and the line that accepts it. */
  @Command(
      name = "token",
      mixinStandardHelpOptions = true,
      description = {
        "Generate a bearer token for NAME and print it with the line to add to the --tokens file."
            + " Only the token's SHA-256 goes in the file; the token is shown once.",
        "Exit codes: 0 printed, 2 bad input."
      })
  public static final class Token implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "Who the token acts as, e.g. ci-bot.")
    String name;

    @Option(
        names = "--scopes",
        paramLabel = "SCOPE[,SCOPE…]",
        split = ",",
        defaultValue = "read",
        description = "read, act, deploy (default: ${DEFAULT-VALUE}).")
    List<String> scopes;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Set<Scope> parsed = EnumSet.noneOf(Scope.class);
      for (String s : scopes) {
        parsed.add(
            Scope.parse(s)
                .orElseThrow(
                    () ->
                        new picocli.CommandLine.ParameterException(
                            spec.commandLine(),
                            "--scopes: expected read, act or deploy but found '" + s + "'")));
      }
      BearerTokens.Generated generated;
      try {
        generated = BearerTokens.generate(name, parsed);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println("token: " + generated.token());
      out.println("line for the --tokens file: " + generated.line());
      out.flush();
      return ExitCode.OK;
    }
  }
}
