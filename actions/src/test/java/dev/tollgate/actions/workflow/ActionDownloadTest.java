package dev.tollgate.actions.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code action/fetch.sh}, the action's way to the released runner jar, run by bash against a
 * release server on the loopback interface: the pinned jar is downloaded and cached, a jar whose
 * SHA-256 differs is refused, no server is a clear error, and an unreleased action builds from
 * source. Skipped where there is no bash or curl.
 */
class ActionDownloadTest {
  private static final byte[] GOOD = "the released runner".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  private Path actionRoot;
  private Path cache;
  private Path output;
  private HttpServer server;
  private final Map<String, byte[]> served = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  record Result(int exit, String stdout, Map<String, String> outputs) {}

  @BeforeEach
  void anActionAndAReleaseServer() throws IOException {
    assumeTrue(onPath("bash") && onPath("curl"), "no bash or curl on this machine");
    actionRoot = dir.resolve("action-root");
    Path action = Files.createDirectories(actionRoot.resolve("action"));
    Files.copy(WorkflowFiles.root().resolve("action/fetch.sh"), action.resolve("fetch.sh"));
    Files.writeString(action.resolve("version"), "1.2.0\n");
    Files.writeString(
        action.resolve("releases.sha256"),
        "# pins\n"
            + sha256("an older runner".getBytes(StandardCharsets.UTF_8))
            + "  tollgate-1.1.0.jar\n"
            + sha256(GOOD)
            + "  tollgate-1.2.0.jar\n");
    cache = dir.resolve("cache");
    output = dir.resolve("output");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.add(exchange.getRequestURI().getPath());
          byte[] body = served.get(exchange.getRequestURI().getPath());
          exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          if (body != null) {
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String releasesUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/releases";
  }

  private static boolean onPath(String program) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(p, program))) {
        return true;
      }
    }
    return false;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Result fetch(String mode, String url, Map<String, String> env) throws Exception {
    Files.writeString(output, "");
    ProcessBuilder pb =
        new ProcessBuilder("bash", actionRoot.resolve("action/fetch.sh").toString(), mode)
            .directory(dir.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GITHUB_ACTION_PATH", actionRoot.toString());
    pb.environment().put("GITHUB_OUTPUT", output.toString());
    pb.environment().put("TOLLGATE_JAR_CACHE", cache.toString());
    pb.environment().put("TOLLGATE_RELEASES_URL", url);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Map<String, String> outputs = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(output)) {
      int eq = line.indexOf('=');
      outputs.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return new Result(p.exitValue(), out, outputs);
  }

  private Result download(String version) throws Exception {
    return fetch(
        "download",
        releasesUrl(),
        Map.of("TOLLGATE_VERSION", version, "TOLLGATE_SHA256", sha256(GOOD)));
  }

  @Test
  void a_released_action_downloads_its_own_version_with_its_pinned_sha256() throws Exception {
    Result r = fetch("resolve", releasesUrl(), Map.of());
    assertThat(r.exit()).isZero();
    assertThat(r.outputs())
        .containsEntry("mode", "download")
        .containsEntry("version", "1.2.0")
        .containsEntry("sha256", sha256(GOOD));
  }

  @Test
  void the_version_input_picks_another_pinned_release() throws Exception {
    Result r = fetch("resolve", releasesUrl(), Map.of("TOLLGATE_VERSION", "v1.1.0"));
    assertThat(r.outputs())
        .containsEntry("version", "1.1.0")
        .containsEntry("sha256", sha256("an older runner".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_version_that_is_not_pinned_is_refused() throws Exception {
    Result r = fetch("resolve", releasesUrl(), Map.of("TOLLGATE_VERSION", "9.9.9"));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stdout())
        .startsWith("::error title=Tollgate::tollgate 9.9.9 has no SHA-256 pinned");
    assertThat(r.outputs()).isEmpty();
  }

  @Test
  void an_unreleased_action_builds_from_source() throws Exception {
    Files.writeString(actionRoot.resolve("action/version"), "1.3.0-SNAPSHOT\n");
    Result r = fetch("resolve", releasesUrl(), Map.of());
    assertThat(r.exit()).isZero();
    assertThat(r.outputs()).containsEntry("mode", "build").containsEntry("sha256", "");
  }

  @Test
  void the_good_jar_is_downloaded_cached_and_then_used_without_the_network() throws Exception {
    served.put("/releases/v1.2.0/tollgate-1.2.0.jar", GOOD);

    Result first = download("1.2.0");
    assertThat(first.exit()).as(first.stdout()).isZero();
    Path jar = Path.of(first.outputs().get("jar"));
    assertThat(jar).isEqualTo(cache.resolve("tollgate-1.2.0.jar")).hasBinaryContent(GOOD);

    server.stop(0);
    Result second = download("1.2.0");
    assertThat(second.exit()).as(second.stdout()).isZero();
    assertThat(second.outputs()).containsEntry("jar", jar.toString());
    assertThat(second.stdout()).contains("from the cache");
    assertThat(requests).hasSize(1);
  }

  @Test
  void a_tampered_jar_is_refused_and_never_cached() throws Exception {
    served.put(
        "/releases/v1.2.0/tollgate-1.2.0.jar",
        "the released runner, with a backdoor".getBytes(StandardCharsets.UTF_8));

    Result r = download("1.2.0");

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stdout())
        .startsWith(
            "::error title=Tollgate::refusing to run tollgate-1.2.0.jar from " + releasesUrl())
        .contains("but this action pins " + sha256(GOOD));
    assertThat(r.outputs()).doesNotContainKey("jar");
    try (var files = Files.list(cache)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void a_tampered_cached_jar_is_replaced_by_the_release() throws Exception {
    Files.createDirectories(cache);
    Files.writeString(cache.resolve("tollgate-1.2.0.jar"), "swapped in the cache");
    served.put("/releases/v1.2.0/tollgate-1.2.0.jar", GOOD);

    Result r = download("1.2.0");

    assertThat(r.exit()).as(r.stdout()).isZero();
    assertThat(r.stdout()).contains("::warning title=Tollgate::the cached tollgate-1.2.0.jar");
    assertThat(cache.resolve("tollgate-1.2.0.jar")).hasBinaryContent(GOOD);
  }

  @Test
  void no_release_server_is_a_clear_error() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    Result r =
        fetch(
            "download",
            "http://127.0.0.1:" + closed + "/releases",
            Map.of("TOLLGATE_VERSION", "1.2.0", "TOLLGATE_SHA256", sha256(GOOD)));

    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stdout())
        .startsWith(
            "::error title=Tollgate::could not download http://127.0.0.1:"
                + closed
                + "/releases/v1.2.0/tollgate-1.2.0.jar: ")
        .contains("a jar input");
    assertThat(r.outputs()).doesNotContainKey("jar");
  }

  @Test
  void a_missing_release_is_a_clear_error() throws Exception {
    Result r = download("1.2.0");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.stdout()).startsWith("::error title=Tollgate::could not download").contains("404");
  }

  @Test
  void the_actions_version_is_the_projects_version() throws IOException {
    String pom = Files.readString(WorkflowFiles.root().resolve("pom.xml"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("</modelVersion>[\\s\\S]*?<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    assertThat(Files.readString(WorkflowFiles.root().resolve("action/version")).strip())
        .isEqualTo(m.group(1));
  }
}
