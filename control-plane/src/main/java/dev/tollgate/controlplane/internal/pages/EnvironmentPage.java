package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * One environment: its card, its newest releases and its audit trail.
 *
 * @param frame the frame
 * @param card its lock, window and latest release, with the hold and unlock forms
 * @param releases its newest releases, one line each
 * @param audit its newest audit entries, one line each
 * @param canDeploy whether the caller has the deploy scope
 */
public record EnvironmentPage(
    Frame frame,
    OperationsPage.EnvironmentCard card,
    List<Field> releases,
    List<Field> audit,
    boolean canDeploy) {}
