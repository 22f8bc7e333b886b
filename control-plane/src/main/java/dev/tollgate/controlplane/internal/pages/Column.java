package dev.tollgate.controlplane.internal.pages;

import java.util.List;

/**
 * One lane of the board.
 *
 * @param id the lane's id
 * @param title its title
 * @param wip {@code 1/2} with a limit, else the count
 * @param overLimit whether it holds more than its WIP limit
 * @param cards its items in rank order
 */
public record Column(String id, String title, String wip, boolean overLimit, List<Card> cards) {}
