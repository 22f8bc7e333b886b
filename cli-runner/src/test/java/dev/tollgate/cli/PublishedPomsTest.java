package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The poms carry what Maven Central requires and the BOM lists what is published, read from the
 * source poms without a build. {@code .ci/release-check} checks the deployed bundle itself (signed
 * files, checksums, javadoc); this catches the same omissions in seconds.
 */
class PublishedPomsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Element pom(String module) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Path file =
        module.isEmpty() ? ROOT.resolve("pom.xml") : ROOT.resolve(module).resolve("pom.xml");
    return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static Optional<Element> child(Element parent, String... path) {
    Element at = parent;
    for (String name : path) {
      Element found = null;
      for (Node n = at.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          found = e;
          break;
        }
      }
      if (found == null) {
        return Optional.empty();
      }
      at = found;
    }
    return Optional.of(at);
  }

  private static String text(Element parent, String... path) {
    return child(parent, path).map(e -> e.getTextContent().trim()).orElse("");
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  private static List<String> modules() throws Exception {
    return children(child(pom(""), "modules").orElseThrow(), "module").stream()
        .map(m -> m.getTextContent().trim())
        .toList();
  }

  private static boolean published(Element pom) {
    return !text(pom, "properties", "maven.deploy.skip").equals("true");
  }

  @Test
  void the_parent_pom_carries_the_metadata_maven_central_requires() throws Exception {
    Element parent = pom("");
    assertThat(text(parent, "url")).startsWith("https://");
    Element license = child(parent, "licenses", "license").orElseThrow();
    assertThat(text(license, "name")).isEqualTo("Apache-2.0");
    assertThat(text(license, "url")).startsWith("https://");
    assertThat(text(parent, "developers", "developer", "name")).isNotBlank();
    assertThat(text(parent, "scm", "connection")).startsWith("scm:git:");
    assertThat(text(parent, "scm", "developerConnection")).startsWith("scm:git:");
    assertThat(text(parent, "scm", "url")).isEqualTo(text(parent, "url"));
    // Without these, Maven makes every module's url and scm <parent's>/<artifactId>, a page that
    // does not exist.
    assertThat(parent.getAttribute("child.project.url.inherit.append.path")).isEqualTo("false");
    Element scm = child(parent, "scm").orElseThrow();
    for (String field : List.of("connection", "developerConnection", "url")) {
      assertThat(scm.getAttribute("child.scm." + field + ".inherit.append.path"))
          .as(field)
          .isEqualTo("false");
    }
  }

  @Test
  void every_published_module_has_its_own_name_and_description() throws Exception {
    for (String module : modules()) {
      Element pom = pom(module);
      if (published(pom)) {
        assertThat(text(pom, "name")).as(module + " <name>").isNotBlank();
        assertThat(text(pom, "description")).as(module + " <description>").isNotBlank();
      }
    }
  }

  @Test
  void modules_that_are_not_deployed_are_not_signed_nor_given_sources_and_javadoc()
      throws Exception {
    List<String> unpublished = new ArrayList<>();
    for (String module : modules()) {
      Element pom = pom(module);
      if (!published(pom)) {
        unpublished.add(module);
        for (String skip : List.of("gpg.skip", "maven.source.skip", "maven.javadoc.skip")) {
          assertThat(text(pom, "properties", skip)).as(module + " " + skip).isEqualTo("true");
        }
      }
    }
    assertThat(unpublished)
        .containsExactlyInAnyOrder("benchmarks", "examples/embedding", "examples/embedded-service");
  }

  @Test
  void the_bom_manages_every_published_artifact_at_the_project_version() throws Exception {
    Set<String> published = new TreeSet<>();
    for (String module : modules()) {
      Element pom = pom(module);
      String packaging = text(pom, "packaging");
      if (published(pom) && !packaging.equals("pom")) {
        published.add(text(pom, "artifactId"));
      }
    }
    Element bom = pom("bom");
    assertThat(text(bom, "artifactId")).isEqualTo("tollgate-bom");
    Set<String> managed = new TreeSet<>();
    for (Element d :
        children(child(bom, "dependencyManagement", "dependencies").orElseThrow(), "dependency")) {
      assertThat(text(d, "groupId")).isEqualTo("dev.tollgate");
      assertThat(text(d, "version")).isEqualTo("${project.version}");
      managed.add(text(d, "artifactId"));
    }
    assertThat(managed).isEqualTo(published);
    // The BOM is published flattened: importing it must not import the parent's
    // dependencyManagement (Tollgate's own Jackson, JUnit, Jetty ... versions).
    assertThat(Files.readString(ROOT.resolve("bom/pom.xml"))).contains("<flattenMode>bom");
  }

  @Test
  void the_central_upload_waits_for_a_maintainer_to_publish_it() throws Exception {
    Element central = null;
    for (Element profile : children(child(pom(""), "profiles").orElseThrow(), "profile")) {
      if (text(profile, "id").equals("central")) {
        central = profile;
      }
    }
    assertThat(central).as("the central profile").isNotNull();
    Element plugin = child(central, "build", "plugins", "plugin").orElseThrow();
    assertThat(text(plugin, "artifactId")).isEqualTo("central-publishing-maven-plugin");
    assertThat(text(plugin, "configuration", "autoPublish")).isEqualTo("false");
  }
}
