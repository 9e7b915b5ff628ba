package io.mythos.loadbalancer.planner;

import java.util.Arrays;

/**
 * What a plan covers: every group, one group, or one assistant's group; in assistant scope only that
 * assistant sheds codices and has its rituals spread, the others of its group only receive.
 */
final class Scope {

    private final Groups groups;
    private final boolean[] groupIncluded;
    /** The one assistant relieved in assistant scope, else -1. */
    private final int focus;

    private Scope(Groups groups, boolean[] groupIncluded, int focus) {
        this.groups = groups;
        this.groupIncluded = groupIncluded;
        this.focus = focus;
    }

    /** @throws IllegalArgumentException when the group or assistant is not in the map */
    static Scope of(LoadMap map, Groups groups, String group, String assistantId) {
        boolean[] included = new boolean[groups.count()];
        if (assistantId != null) {
            int focus = map.indexOfAssistant(assistantId);
            if (focus < 0) {
                throw new IllegalArgumentException("unknown assistant " + assistantId);
            }
            included[groups.groupOf[focus]] = true;
            return new Scope(groups, included, focus);
        }
        if (group != null) {
            int g = groups.indexOf(group);
            if (g < 0) {
                throw new IllegalArgumentException("unknown group " + group);
            }
            included[g] = true;
        } else {
            Arrays.fill(included, true);
        }
        return new Scope(groups, included, -1);
    }

    boolean includesGroup(int group) {
        return groupIncluded[group];
    }

    /** Whether the assistant's group is planned (its figures count, it may receive). */
    boolean includes(int assistant) {
        return groupIncluded[groups.groupOf[assistant]];
    }

    /** Whether the assistant may shed codices and have its rituals spread. */
    boolean relieves(int assistant) {
        return focus < 0 || assistant == focus;
    }
}
