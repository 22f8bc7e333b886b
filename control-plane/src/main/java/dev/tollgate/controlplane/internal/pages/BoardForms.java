package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The board's backlog filters and its new-item form.
 *
 * @param epic the epic filtered by, or empty
 * @param status the status filtered by, or empty
 * @param owner the owner filtered by, or empty
 * @param priority the priority filtered by, or empty
 * @param filtered whether any filter (the text one included) is applied
 * @param epics the epics: label (id · title) and value (id)
 * @param statuses the work-item statuses
 * @param lanes the lanes a new item may start in: label (title) and value (id)
 * @param createAction where the new-item form posts
 */
public record BoardForms(
    String epic,
    String status,
    String owner,
    String priority,
    boolean filtered,
    List<Field> epics,
    List<String> statuses,
    List<Field> lanes,
    String createAction) {}
