package io.mythos.loadbalancer.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The map's assistants by group: each assistant's group, each group's members (in map order). */
final class Groups {

    /** Per assistant: the index of its group. */
    final int[] groupOf;
    /** Per group: its assistants, in map order. */
    final int[][] members;
    private final Map<String, Integer> indexByName = new HashMap<>();

    Groups(LoadMap map) {
        int assistants = map.assistantCount();
        groupOf = new int[assistants];
        List<String> names = new ArrayList<>();
        int[] sizes = new int[assistants];
        for (int a = 0; a < assistants; a++) {
            Integer g = indexByName.get(map.groups[a]);
            if (g == null) {
                g = names.size();
                indexByName.put(map.groups[a], g);
                names.add(map.groups[a]);
            }
            groupOf[a] = g;
            sizes[g]++;
        }
        members = new int[names.size()][];
        for (int g = 0; g < members.length; g++) {
            members[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int a = 0; a < assistants; a++) {
            members[groupOf[a]][sizes[groupOf[a]]++] = a;
        }
    }

    int count() {
        return members.length;
    }

    /** The index of a group by name, or -1. */
    int indexOf(String name) {
        return indexByName.getOrDefault(name, -1);
    }

    /** Per group: the codices its assistants hold (a counting sort; codex order kept inside a group). */
    int[][] codicesByGroup(int[] owner) {
        int[] start = new int[count() + 1];
        for (int c = 0; c < owner.length; c++) {
            start[groupOf[owner[c]] + 1]++;
        }
        for (int g = 0; g < count(); g++) {
            start[g + 1] += start[g];
        }
        int[] sorted = new int[owner.length];
        int[] fill = Arrays.copyOf(start, count());
        for (int c = 0; c < owner.length; c++) {
            sorted[fill[groupOf[owner[c]]]++] = c;
        }
        int[][] byGroup = new int[count()][];
        for (int g = 0; g < count(); g++) {
            byGroup[g] = Arrays.copyOfRange(sorted, start[g], start[g + 1]);
        }
        return byGroup;
    }
}
