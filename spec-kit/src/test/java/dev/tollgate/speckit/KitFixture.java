package dev.tollgate.speckit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.core.Diagnostic;
import dev.tollgate.core.report.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A small Spec Kit written into a temporary folder, starting from documents that pass. */
final class KitFixture {
  static final String CONSTITUTION =
      """
      # Demo Constitution

      ## Core Principles

      ### I. Test First
      Every change starts with a failing test.

      ## Governance
      Amendments need a review.

      **Version**: 1.0.0 | **Ratified**: 2025-01-02 | **Last Amended**: 2025-02-03
      """;

  static final String SPEC =
      """
      # Feature Specification: Login

      **Feature Branch**: `001-login`
      **Created**: 2025-01-02

      ## User Scenarios & Testing *(mandatory)*

      ### User Story 1 - Sign in (Priority: P1)

      A user signs in with email.

      **Acceptance Scenarios**:

      1. **Given** a registered user, **When** they submit valid credentials, **Then** they see the dashboard.

      ## Requirements *(mandatory)*

      ### Functional Requirements

      - **FR-001**: System MUST authenticate users by email and password.
      - **FR-002**: System MUST lock an account after 5 failed attempts.

      ## Success Criteria *(mandatory)*

      - **SC-001**: 95% of users sign in within 10 seconds.
      """;

  static final String PLAN =
      """
      # Implementation Plan: Login

      ## Summary

      Email login.

      ## Technical Context

      **Language/Version**: Java 17

      ## Constitution Check

      All principles pass.

      ## Project Structure

      One module, src/main/java.
      """;

  static final String TASKS =
      """
      # Tasks: Login

      ## Phase 1: Setup

      - [ ] T001 Create the project in src/main/java/App.java
      """;

  private final Path root;

  private KitFixture(Path root) {
    this.root = root;
  }

  /** A repository root with a constitution at .specify/memory/constitution.md. */
  static KitFixture github(Path dir) {
    KitFixture k = new KitFixture(dir);
    k.write(".specify/memory/constitution.md", CONSTITUTION);
    return k;
  }

  /** An empty repository root (a .git folder marks it). */
  static KitFixture bare(Path dir) {
    KitFixture k = new KitFixture(dir);
    k.mkdir(".git");
    return k;
  }

  /** A feature folder specs/{name} with a passing spec.md and plan.md. */
  KitFixture feature(String name) {
    write("specs/" + name + "/spec.md", SPEC);
    write("specs/" + name + "/plan.md", PLAN);
    return this;
  }

  KitFixture write(String rel, String text) {
    return writeBytes(rel, text.getBytes(StandardCharsets.UTF_8));
  }

  KitFixture writeBytes(String rel, byte[] bytes) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KitFixture mkdir(String rel) {
    try {
      Files.createDirectories(root.resolve(rel));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  KitFixture delete(String rel) {
    try {
      Files.delete(root.resolve(rel));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  Report validate() {
    return validate(root);
  }

  Report validate(Path target) {
    return new SpecKitValidator(SpecKitConfig.defaults()).validate(List.of(target));
  }

  /** The findings of one rule, in stable order. */
  List<Diagnostic> findings(String ruleId) {
    return findings(validate(), ruleId);
  }

  static List<Diagnostic> findings(Report report, String ruleId) {
    return report.findings().stream().filter(d -> d.ruleId().equals(ruleId)).toList();
  }

  /** Replaces exactly one occurrence of {@code from}, failing if the fixture text lacks it. */
  static String replace(String text, String from, String to) {
    assertThat(text).contains(from);
    return text.replace(from, to);
  }

  /** The 1-based column of {@code needle} in line {@code line} of {@code text}. */
  static int column(String text, int line, String needle) {
    String l = text.split("\n", -1)[line - 1];
    int i = l.indexOf(needle);
    assertThat(i).as("'%s' on line %d", needle, line).isGreaterThanOrEqualTo(0);
    return i + 1;
  }
}
