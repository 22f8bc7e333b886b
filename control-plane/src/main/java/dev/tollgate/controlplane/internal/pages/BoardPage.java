package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * The board: one column per lane.
 *
 * @param frame the frame
 * @param columns the lanes in policy order
 * @param filter the text filter applied, or empty
 * @param forms the other filters and the new-item form
 */
public record BoardPage(Frame frame, List<Column> columns, String filter, BoardForms forms) {}
