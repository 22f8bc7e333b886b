package dev.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.core.TollgateException;
import dev.tollgate.core.gate.GateResult;
import dev.tollgate.core.repo.ChangeSet;
import dev.tollgate.core.repo.RepositoryView;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MergeGateService} as an embedding service calls it: no command line, a repository, refs
 * and facts in, the verdict and what was gated out.
 */
class MergeGateServiceTest {
  private static final Path DEMO_BUNDLE =
      Path.of("..").toAbsolutePath().normalize().resolve("examples/demo/pr/card-validation.bundle");
  private static final String DEMO_HEAD = "sf/SF-102-card-validation";

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);

  private static final String POLICY =
      String.join(
          "\n",
          "lanes:",
          "  ready:",
          "  in-progress:",
          "  done: {terminal: true}",
          "pull_request:",
          "  eligible_lanes: [in-progress]",
          "  max_files: 5",
          "  touched_directories: [src, work-items]",
          "");

  @TempDir Path dir;

  private final MergeGateService service = MergeGateService.builder().clock(CLOCK).build();

  private static Map<String, String> statuses(MergeGateResult result) {
    Map<String, String> out = new TreeMap<>();
    for (GateResult r : result.verdict().verdict().results()) {
      out.put(r.gate(), r.status().label());
    }
    return out;
  }

  @Test
  void an_embedder_gets_the_verdict_the_cli_prints_for_the_demo_pull_request() {
    // The verdict `tollgate gate` prints for this bundle (DemoPullRequestTest, examples/demo).
    MergeGateResult result =
        service.evaluate(
            MergeGateRequest.builder().repository(DEMO_BUNDLE).head(DEMO_HEAD).build());

    assertThat(result.passed()).isFalse();
    assertThat(statuses(result))
        .containsEntry("touched-directories", "blocked")
        .containsEntry("secrets", "blocked")
        .containsEntry("work-item-reference", "pass")
        .containsEntry("lane-eligibility", "pass")
        .containsEntry("pr-size", "pass")
        .containsEntry("spec-kit", "pass")
        .hasSize(8);
    GatedChange change = result.change();
    assertThat(change.baseRef()).isEqualTo("main");
    assertThat(change.headRef()).isEqualTo(DEMO_HEAD);
    assertThat(change.branch()).contains(DEMO_HEAD);
    assertThat(change.policyFile()).isEqualTo(".tollgate/policy.yml");
    assertThat(change.policyRef()).contains("main");
    assertThat(change.changes().fileCount()).isEqualTo(3);
    assertThat(change.changes().added() + change.changes().deleted()).isEqualTo(18);
    assertThat(result.verdict().findingsOf("secrets"))
        .extracting(f -> f.location().file())
        .containsExactly("config/payment-provider.env");
    assertThat(result.notes()).isEmpty();
  }

  @Test
  void the_same_request_gives_the_same_verdict_every_time() {
    MergeGateRequest request =
        MergeGateRequest.builder().repository(DEMO_BUNDLE).head(DEMO_HEAD).build();
    assertThat(service.evaluate(request)).isEqualTo(service.evaluate(request));
  }

  @Test
  void a_bundle_is_cloned_into_a_temporary_folder_that_is_removed_afterwards() throws Exception {
    Path folder;
    try (GateCheckout checkout = GateCheckout.open(DEMO_BUNDLE, DEMO_HEAD)) {
      folder = checkout.folder();
      try (RepositoryView view = RepositoryView.open(folder)) {
        assertThat(view.branch()).contains(DEMO_HEAD);
      }
    }
    assertThat(folder).doesNotExist();
    assertThat(folder.getParent()).doesNotExist();
  }

  // --- a repository built with JGit ---

  private Git git;
  private int tick;

  @AfterEach
  void closeRepository() {
    if (git != null) {
      git.close();
    }
  }

  private void write(String path, String text) throws Exception {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text, StandardCharsets.UTF_8);
  }

  private String commit(String message) throws Exception {
    git.add().addFilepattern(".").call();
    PersonIdent who =
        new PersonIdent(
            "Tess",
            "t@example.com",
            Instant.ofEpochSecond(1_700_000_000L + tick++),
            ZoneOffset.UTC);
    return git.commit()
        .setMessage(message)
        .setAuthor(who)
        .setCommitter(who)
        .setSign(false)
        .call()
        .getName();
  }

  /** Base branch {@code base} with the policy and an item, then bf/BF-7-x with one source file. */
  private String[] repository(String base) throws Exception {
    return repository(base, POLICY);
  }

  private String[] repository(String base, String policy) throws Exception {
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch(base).call();
    write(".tollgate/policy.yml", policy);
    write("work-items/wi-BF-7.yml", "id: wi-BF-7\ntitle: T\nlane: in-progress\nstatus: open\n");
    String baseId = commit("base");
    git.checkout().setCreateBranch(true).setName("bf/BF-7-x").call();
    write("src/A.java", "class A {}\n");
    String headId = commit("BF-7: a");
    return new String[] {baseId, headId};
  }

  @Test
  void a_folder_is_gated_between_the_named_base_and_head() throws Exception {
    String[] ids = repository("main");
    MergeGateResult result =
        service.evaluate(MergeGateRequest.builder().repository(dir).base("main").build());

    assertThat(result.passed()).as(statuses(result).toString()).isTrue();
    assertThat(result.change())
        .isEqualTo(
            new GatedChange(
                "main",
                ids[0],
                "HEAD",
                ids[1],
                Optional.of("bf/BF-7-x"),
                ".tollgate/policy.yml",
                Optional.of("main"),
                result.change().changes()));
    assertThat(result.change().changes().fileCount()).isEqualTo(1);
  }

  @Test
  void without_a_base_the_first_candidate_that_exists_is_used() throws Exception {
    repository("trunk");
    MergeGateResult result =
        service.evaluate(
            MergeGateRequest.builder()
                .repository(dir)
                .baseCandidates(List.of("origin/trunk", "trunk", "main"))
                .build());
    assertThat(result.change().baseRef()).isEqualTo("trunk");
  }

  @Test
  void without_a_base_and_no_candidate_that_exists_the_failure_names_the_candidates()
      throws Exception {
    repository("trunk");
    MergeGateRequest request = MergeGateRequest.builder().repository(dir).build();
    assertThatThrownBy(() -> service.evaluate(request))
        .isInstanceOf(MissingBaseException.class)
        .hasMessage("no base to gate against: none of main, master exists")
        .satisfies(
            e -> {
              MissingBaseException m = (MissingBaseException) e;
              assertThat(m.candidates()).containsExactly("main", "master");
              assertThat(m.kind()).isEqualTo(TollgateException.Kind.BAD_INPUT);
            });
  }

  @Test
  void the_title_labels_and_approvals_of_the_request_reach_the_gates() throws Exception {
    repository("main", POLICY + "  required_labels: [reviewed]\n  required_approvals: 1\n");

    MergeGateRequest.Builder request = MergeGateRequest.builder().repository(dir).base("main");
    assertThat(statuses(service.evaluate(request.build())))
        .containsEntry("required-labels", "blocked")
        .containsEntry("required-approvals", "blocked");
    assertThat(service.evaluate(request.label("reviewed").approvals(1).build()).passed()).isTrue();
  }

  @Test
  void a_policy_file_replaces_the_repositorys_and_is_named_as_given() throws Exception {
    repository("main");
    Path file = dir.resolve("strict.yml");
    Files.writeString(
        file,
        POLICY.replace("touched_directories: [src, work-items]", "touched_directories: [docs]"));
    MergeGateResult result =
        service.evaluate(
            MergeGateRequest.builder()
                .repository(dir)
                .base("main")
                .policyFile(new MergeGateRequest.PolicyFile(file, "ci/strict.yml"))
                .build());
    assertThat(statuses(result)).containsEntry("touched-directories", "blocked");
    assertThat(result.change().policyFile()).isEqualTo("ci/strict.yml");
    assertThat(result.change().policyRef()).isEmpty();
  }

  // --- a source of facts other than the checkout, as the GitHub integration supplies ---

  /** A source that reads the change from the checkout and records what the service asked. */
  private static final class RecordingSource implements PullRequestSource {
    final List<MergeGate.Reads> asked = new ArrayList<>();
    final List<String> filesRead = new ArrayList<>();

    @Override
    public Change read(RepositoryView checkout, Supplier<String> defaultBase) {
      String base = defaultBase.get();
      String baseId = checkout.commit(base).id();
      String headId = checkout.head().id();
      ChangeSet changes = checkout.changes(baseId, headId);
      return new Change() {
        @Override
        public String baseLabel() {
          return base;
        }

        @Override
        public String baseCommit() {
          return baseId;
        }

        @Override
        public String headLabel() {
          return "the pull request";
        }

        @Override
        public String headCommit() {
          return headId;
        }

        @Override
        public String baseRevision() {
          return baseId;
        }

        @Override
        public String headRevision() {
          return headId;
        }

        @Override
        public String describeRevisions() {
          return "at " + baseId + " or " + headId;
        }

        @Override
        public Optional<byte[]> fileAt(String revision, String path) {
          filesRead.add(revision + ":" + path);
          return checkout.file(revision, path);
        }

        @Override
        public PullRequestFacts facts(MergeGate.Reads reads) {
          asked.add(reads);
          return PullRequestFacts.of(changes, f -> Optional.empty());
        }

        @Override
        public List<String> notes() {
          return List.of("changes: from the test's source");
        }
      };
    }
  }

  @Test
  void a_source_gives_the_facts_and_is_asked_only_for_what_the_policy_reads() throws Exception {
    String[] ids = repository("main");
    RecordingSource source = new RecordingSource();
    MergeGateResult result =
        service.evaluate(MergeGateRequest.builder().repository(dir).source(source).build());

    assertThat(source.asked).containsExactly(new MergeGate.Reads(false, false));
    assertThat(source.filesRead).containsExactly(ids[0] + ":.tollgate/policy.yml");
    // The policy's revision is shown as the base people know, not as its commit id.
    assertThat(result.change().policyRef()).contains("main");
    assertThat(result.change().headRef()).isEqualTo("the pull request");
    assertThat(result.change().branch()).isEmpty();
    assertThat(result.notes()).containsExactly("changes: from the test's source");
    assertThat(statuses(result)).containsEntry("work-item-reference", "blocked");
  }

  @Test
  void a_missing_policy_is_bad_input_naming_where_it_was_looked_for() throws Exception {
    git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    write("src/A.java", "class A {}\n");
    commit("base");
    MergeGateRequest request = MergeGateRequest.builder().repository(dir).build();
    assertThatThrownBy(() -> service.evaluate(request))
        .isInstanceOf(TollgateException.class)
        .hasMessageStartingWith("no .tollgate/policy.yml in main or HEAD of ");
  }

  // --- the request's builder ---

  @Test
  void a_source_together_with_facts_it_supplies_is_refused() {
    MergeGateRequest.Builder request =
        MergeGateRequest.builder()
            .repository(Path.of("."))
            .source(new RecordingSource())
            .base("main")
            .title("BF-7 a")
            .label("x");
    assertThatThrownBy(request::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a source supplies the pull request's facts, so base, title, labels must not be set"
                + " too");
  }

  @Test
  void the_builder_checks_each_value_and_treats_blank_facts_as_unknown() {
    assertThatThrownBy(() -> MergeGateRequest.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("repository is required");
    assertThatThrownBy(() -> MergeGateRequest.builder().approvals(-1))
        .hasMessage("approvals must be 0 or more but was -1");
    assertThatThrownBy(() -> MergeGateRequest.builder().head(" "))
        .hasMessage("head must not be blank");
    assertThatThrownBy(() -> MergeGateRequest.builder().label(""))
        .hasMessage("label must not be blank");
    assertThatThrownBy(() -> MergeGateService.builder().build()).hasMessage("clock is required");

    MergeGateRequest request =
        MergeGateRequest.builder().repository(Path.of(".")).title(" ").branch("").build();
    assertThat(request.title()).isEmpty();
    assertThat(request.branch()).isEmpty();
    assertThat(request.head()).isEqualTo("HEAD");
    assertThat(request.baseCandidates()).containsExactly("main", "master");
  }

  @Test
  void a_path_that_is_neither_a_folder_nor_a_bundle_is_bad_input() throws Exception {
    Path file = Files.writeString(dir.resolve("notes.txt"), "x");
    assertThatThrownBy(() -> service.evaluate(MergeGateRequest.builder().repository(file).build()))
        .isInstanceOf(TollgateException.class)
        .hasMessage("repository '" + file + "' is not a folder or a .bundle file");
  }
}
