package io.mythos.loadbalancer.planner;

/**
 * Arrays sized once per plan for the whole map and reused by each group's {@link CodexPlacer} (groups
 * are placed one after the other), so that a plan over many groups allocates them once.
 */
final class PlacementWorkspace {

    /** Per codex in flight: the assistant it was taken from in this pass (ejected ones included). */
    final int[] passOrigin;
    /** Per codex: already placed in this pass, so no longer ejectable. */
    final boolean[] placedThisPass;
    /** Per codex: found no place in this round; its donor sheds something else instead. */
    final boolean[] stuck;
    final Receivers receivers;
    /** Per assistant: its floor utilization in its group's target ({@link GroupTarget}). */
    final double[] floor;

    PlacementWorkspace(LoadMap map) {
        passOrigin = new int[map.codexCount()];
        placedThisPass = new boolean[map.codexCount()];
        stuck = new boolean[map.codexCount()];
        receivers = new Receivers(map);
        floor = new double[map.assistantCount()];
    }
}
