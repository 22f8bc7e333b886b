package dev.tollgate.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PromotionTest {
  @Test
  void happy_path_ends_deployed() {
    Promotion p =
        Promotion.pending("P-1", "production", "v1.4.0")
            .transitionTo(PromotionStatus.APPROVED)
            .transitionTo(PromotionStatus.EXECUTING)
            .transitionTo(PromotionStatus.DEPLOYED);
    assertThat(p).isEqualTo(new Promotion("P-1", "production", "v1.4.0", PromotionStatus.DEPLOYED));
  }

  @Test
  void executing_promotion_may_roll_back() {
    Promotion p =
        new Promotion("P-2", "production", "v1.4.0", PromotionStatus.EXECUTING)
            .transitionTo(PromotionStatus.ROLLED_BACK);
    assertThat(p.status()).isEqualTo(PromotionStatus.ROLLED_BACK);
  }

  @Test
  void skipping_approval_is_refused() {
    assertThatThrownBy(
            () ->
                Promotion.pending("P-3", "production", "v1.4.0")
                    .transitionTo(PromotionStatus.EXECUTING))
        .hasMessageEndingWith(
            "promotion P-3 of v1.4.0 to production cannot go from pending to executing; allowed"
                + " next: approved");
  }

  @Property
  boolean transitionSucceedsExactlyWhenNextAllowsIt(
      @ForAll PromotionStatus from, @ForAll PromotionStatus to) {
    Promotion p = new Promotion("P", "e", "r", from);
    try {
      return p.transitionTo(to).status() == to && from.next().contains(to);
    } catch (dev.tollgate.core.TollgateException e) {
      return !from.next().contains(to) && p.status() == from;
    }
  }

  @Property
  boolean changeTransitionSucceedsExactlyWhenNextAllowsIt(
      @ForAll ChangeStatus from, @ForAll ChangeStatus to) {
    ChangeRequest cr =
        new ChangeRequest(
            "CR",
            "e",
            ChangeType.NORMAL,
            Risk.LOW,
            "abcdef0",
            "a",
            java.util.Optional.empty(),
            from,
            java.util.List.of());
    try {
      return cr.transitionTo(to).status() == to && from.next().contains(to);
    } catch (dev.tollgate.core.TollgateException e) {
      return !from.next().contains(to);
    }
  }
}
