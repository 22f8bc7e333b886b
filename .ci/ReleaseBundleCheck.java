import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks a Maven repository that {@code ./mvnw -Prelease deploy} wrote, as Maven Central would
 * take it: every published artifact has its pom, and a jar artifact its jar, sources jar and
 * javadoc jar; each file has a good signature by the expected key and matching MD5 and SHA-1
 * checksums; every pom parses and carries (itself or through its published parent) the name,
 * description, url, licenses, developers and scm that Central requires; the BOM stands alone and
 * manages every other published artifact; nothing unpublished (benchmarks, examples) is there.
 *
 * <p>Run by {@code .ci/release-check}: {@code java .ci/ReleaseBundleCheck.java <repository>
 * <groupId path> <version> <key fingerprint>}, with {@code gpg} on the PATH and GNUPGHOME set.
 * Prints one line per artifact and every problem; exits 1 when there is one.
 */
public final class ReleaseBundleCheck {
  /** Published artifacts and whether each is a jar (pom-only otherwise). Order: as printed. */
  private static final Map<String, Boolean> PUBLISHED = new LinkedHashMap<>();

  static {
    PUBLISHED.put("tollgate-parent", false);
    PUBLISHED.put("tollgate-bom", false);
    PUBLISHED.put("tollgate-core", true);
    PUBLISHED.put("tollgate-spec-kit", true);
    PUBLISHED.put("tollgate-policy", true);
    PUBLISHED.put("tollgate-actions", true);
    PUBLISHED.put("tollgate-control-plane", true);
    PUBLISHED.put("tollgate-runner", true);
  }

  private static final List<String> CENTRAL_METADATA =
      List.of("name", "description", "url", "licenses", "developers", "scm");

  private final Path group;
  private final String version;
  private final String fingerprint;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Document> poms = new LinkedHashMap<>();

  private ReleaseBundleCheck(Path group, String version, String fingerprint) {
    this.group = group;
    this.version = version;
    this.fingerprint = fingerprint;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println(
          "usage: java ReleaseBundleCheck.java <repository> <groupId> <version> <fingerprint>");
      System.exit(2);
    }
    Path group = Path.of(args[0]).resolve(args[1].replace('.', '/'));
    ReleaseBundleCheck check = new ReleaseBundleCheck(group, args[2], args[3]);
    check.run();
    if (check.problems.isEmpty()) {
      System.out.println("bundle complete: " + PUBLISHED.size() + " artifacts, no problems");
    } else {
      System.out.println(check.problems.size() + " problem(s):");
      check.problems.forEach(p -> System.out.println("  - " + p));
      System.exit(1);
    }
  }

  private void run() throws Exception {
    Set<String> present = new TreeSet<>();
    if (Files.isDirectory(group)) {
      try (Stream<Path> dirs = Files.list(group)) {
        dirs.filter(Files::isDirectory).forEach(d -> present.add(d.getFileName().toString()));
      }
    }
    for (String extra : present) {
      if (!PUBLISHED.containsKey(extra)) {
        problems.add(extra + " was deployed but is not a published artifact");
      }
    }
    for (Map.Entry<String, Boolean> e : PUBLISHED.entrySet()) {
      checkArtifact(e.getKey(), e.getValue());
    }
    for (String artifact : poms.keySet()) {
      checkMetadata(artifact);
    }
    checkBom();
  }

  private void checkArtifact(String artifact, boolean jar) throws Exception {
    Path dir = group.resolve(artifact).resolve(version);
    if (!Files.isDirectory(dir)) {
      problems.add(artifact + ": not deployed (no " + dir + ")");
      return;
    }
    String fileVersion = fileVersion(dir);
    List<String> files = new ArrayList<>();
    files.add(artifact + "-" + fileVersion + ".pom");
    if (jar) {
      files.add(artifact + "-" + fileVersion + ".jar");
      files.add(artifact + "-" + fileVersion + "-sources.jar");
      files.add(artifact + "-" + fileVersion + "-javadoc.jar");
    }
    int good = 0;
    for (String name : files) {
      if (checkFile(artifact, dir.resolve(name))) {
        good++;
      }
    }
    Path pom = dir.resolve(files.get(0));
    if (Files.isRegularFile(pom)) {
      try {
        poms.put(artifact, parse(pom));
      } catch (Exception ex) {
        problems.add(artifact + ": pom does not parse: " + ex.getMessage());
      }
    }
    if (jar) {
      checkJarContents(artifact, dir, fileVersion);
    }
    System.out.printf(
        "%-24s %d/%d files signed and checksummed (%s)%n",
        artifact, good, files.size(), jar ? "pom, jar, sources, javadoc" : "pom");
  }

  /** The version in file names: the version itself, or a snapshot's timestamp-build. */
  private String fileVersion(Path dir) throws Exception {
    if (!version.endsWith("-SNAPSHOT")) {
      return version;
    }
    Path metadata = dir.resolve("maven-metadata.xml");
    if (!Files.isRegularFile(metadata)) {
      problems.add(dir + ": a snapshot without maven-metadata.xml");
      return version;
    }
    Element snapshot = child(parse(metadata).getDocumentElement(), "versioning", "snapshot");
    String timestamp = text(snapshot, "timestamp").orElse("");
    String build = text(snapshot, "buildNumber").orElse("");
    return version.substring(0, version.length() - "SNAPSHOT".length()) + timestamp + "-" + build;
  }

  private boolean checkFile(String artifact, Path file) throws Exception {
    String name = file.getFileName().toString();
    if (!Files.isRegularFile(file) || Files.size(file) == 0) {
      problems.add(artifact + ": " + name + " is missing or empty");
      return false;
    }
    boolean ok = true;
    byte[] content = Files.readAllBytes(file);
    for (String algorithm : List.of("MD5", "SHA-1")) {
      String suffix = algorithm.equals("MD5") ? ".md5" : ".sha1";
      Path sum = file.resolveSibling(name + suffix);
      if (!Files.isRegularFile(sum)) {
        problems.add(artifact + ": " + name + suffix + " is missing");
        ok = false;
        continue;
      }
      String expected = Files.readString(sum, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
      String actual = digest(algorithm, content);
      if (!expected.equalsIgnoreCase(actual)) {
        problems.add(
            artifact + ": " + name + suffix + " says " + expected + " but the file's is " + actual);
        ok = false;
      }
    }
    Path signature = file.resolveSibling(name + ".asc");
    if (!Files.isRegularFile(signature)) {
      problems.add(artifact + ": " + name + ".asc (the signature) is missing");
      return false;
    }
    Process gpg =
        new ProcessBuilder(
                "gpg", "--batch", "--status-fd", "1", "--verify", signature.toString(), file.toString())
            .redirectErrorStream(true)
            .start();
    String status;
    try (InputStream out = gpg.getInputStream()) {
      status = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    int exit = gpg.waitFor();
    boolean valid =
        exit == 0
            && status.lines().anyMatch(l -> l.startsWith("[GNUPG:] VALIDSIG " + fingerprint + " "));
    if (!valid) {
      problems.add(
          artifact
              + ": gpg --verify "
              + name
              + ".asc is not a good signature by "
              + fingerprint
              + " (exit "
              + exit
              + "): "
              + status.strip().replace('\n', ' '));
      ok = false;
    }
    return ok;
  }

  private void checkJarContents(String artifact, Path dir, String fileVersion) throws IOException {
    String base = artifact + "-" + fileVersion;
    expectEntry(artifact, dir.resolve(base + ".jar"), ".class", "compiled classes");
    expectEntry(artifact, dir.resolve(base + "-sources.jar"), ".java", "Java sources");
    expectEntry(artifact, dir.resolve(base + "-javadoc.jar"), "index.html", "a javadoc index.html");
  }

  private void expectEntry(String artifact, Path jar, String suffix, String what)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      return; // already reported
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      boolean found = file.stream().anyMatch(e -> e.getName().endsWith(suffix));
      if (!found) {
        problems.add(artifact + ": " + jar.getFileName() + " holds no " + what);
      }
    }
  }

  private void checkMetadata(String artifact) {
    Element project = poms.get(artifact).getDocumentElement();
    for (String field : List.of("modelVersion", "artifactId")) {
      if (text(project, field).isEmpty()) {
        problems.add(artifact + ": the pom has no " + field);
      }
    }
    if (!text(project, "artifactId").orElse("").equals(artifact)) {
      problems.add(artifact + ": the pom's artifactId is " + text(project, "artifactId"));
    }
    if (own(project, "groupId").isEmpty() && parentOf(project).isEmpty()) {
      problems.add(artifact + ": the pom has no groupId and no parent to inherit one from");
    }
    for (String field : CENTRAL_METADATA) {
      boolean mustBeOwn = field.equals("name") || field.equals("description");
      Optional<Element> found = mustBeOwn ? own(project, field) : inherited(project, field);
      if (found.isEmpty() || found.get().getTextContent().isBlank()) {
        problems.add(
            artifact
                + ": the pom has no "
                + field
                + (mustBeOwn ? "" : " (nor does a published parent)")
                + ", which Maven Central requires");
      }
    }
    inherited(project, "licenses")
        .filter(l -> child(l, "license", "url") == null)
        .ifPresent(l -> problems.add(artifact + ": a license without a url"));
    inherited(project, "scm")
        .filter(s -> text(s, "url").isEmpty() || text(s, "connection").isEmpty())
        .ifPresent(s -> problems.add(artifact + ": scm needs a url and a connection"));
  }

  private void checkBom() {
    Document bom = poms.get("tollgate-bom");
    if (bom == null) {
      return;
    }
    Element project = bom.getDocumentElement();
    if (own(project, "parent").isPresent()) {
      problems.add(
          "tollgate-bom: the published BOM has a parent, so importing it would import the"
              + " parent's dependencyManagement too");
    }
    Set<String> managed = new TreeSet<>();
    Element deps = child(project, "dependencyManagement", "dependencies");
    if (deps != null) {
      for (Node n = deps.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element d && d.getTagName().equals("dependency")) {
          managed.add(text(d, "artifactId").orElse(""));
        }
      }
    }
    Set<String> expected = new TreeSet<>(PUBLISHED.keySet());
    expected.removeAll(Set.of("tollgate-parent", "tollgate-bom"));
    if (!managed.equals(expected)) {
      problems.add("tollgate-bom manages " + managed + " but the published jars are " + expected);
    }
  }

  /** A field of the pom, else of its parent when that parent is one of the published poms. */
  private Optional<Element> inherited(Element project, String field) {
    Optional<Element> here = own(project, field);
    if (here.isPresent()) {
      return here;
    }
    return parentOf(project)
        .map(poms::get)
        .flatMap(parent -> inherited(parent.getDocumentElement(), field));
  }

  private static Optional<String> parentOf(Element project) {
    return own(project, "parent").flatMap(p -> text(p, "artifactId"));
  }

  private static Optional<Element> own(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  private static Element child(Element from, String... path) {
    Element at = from;
    for (String name : path) {
      at = own(at, name).orElse(null);
      if (at == null) {
        return null;
      }
    }
    return at;
  }

  private static Optional<String> text(Element parent, String name) {
    if (parent == null) {
      return Optional.empty();
    }
    return own(parent, name).map(e -> e.getTextContent().trim()).filter(s -> !s.isEmpty());
  }

  private static Document parse(Path xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setNamespaceAware(false);
    return factory.newDocumentBuilder().parse(xml.toFile());
  }

  private static String digest(String algorithm, byte[] content) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
  }
}
