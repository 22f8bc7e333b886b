package dev.tollgate.actions.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Repository names and comment keys, whose equality is written out, are equal by their values. */
class ValueEqualityTest {
  @Test
  void repository_names_are_equal_when_owner_and_name_are() {
    RepositoryName a = RepositoryName.parse("octo/app");
    assertThat(a).isEqualTo(new RepositoryName("octo", "app")).hasSameHashCodeAs(a);
    assertThat(a.hashCode()).isEqualTo(new RepositoryName("octo", "app").hashCode());
    assertThat(a)
        .isNotEqualTo(new RepositoryName("octo", "api"))
        .isNotEqualTo(new RepositoryName("acme", "app"))
        .isNotEqualTo(new RepositoryName("app", "octo"))
        .isNotEqualTo("octo/app");
  }

  @Test
  void comment_keys_are_equal_when_their_values_are() {
    CommentKey a = CommentKey.of("ci/gate");
    assertThat(a).isEqualTo(CommentKey.of("ci/gate"));
    assertThat(a.hashCode()).isEqualTo(CommentKey.of("ci/gate").hashCode());
    assertThat(a).isNotEqualTo(CommentKey.of("ci/gate2")).isNotEqualTo("ci/gate");
  }
}
