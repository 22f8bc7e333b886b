package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The form that changes a work item's fields, filled with their values now.
 *
 * @param action where it posts
 * @param owner the owner, or empty
 * @param priority the priority, or empty
 * @param due the due date {@code YYYY-MM-DD}, or empty
 * @param epic the epic's id, or empty
 * @param epics the epics to choose from: label (id · title) and value (id)
 * @param blockers the item's blockers as its file lists them, each removable
 */
public record ItemEdit(
    String action,
    String owner,
    String priority,
    String due,
    String epic,
    List<Field> epics,
    List<String> blockers) {}
