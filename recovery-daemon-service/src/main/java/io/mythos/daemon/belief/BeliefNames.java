package io.mythos.daemon.belief;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Belief names interned to dense int ids (0, 1, 2, ... in order of first sight), so that a zone's tables
 * handle ints, not strings. Ids never change once given; not thread-safe (its owner guards it).
 */
public final class BeliefNames {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    public int intern(String name) {
        Integer id = ids.get(name);
        if (id == null) {
            id = names.size();
            ids.put(name, id);
            names.add(name);
        }
        return id;
    }

    public String name(int id) {
        return names.get(id);
    }

    public int size() {
        return names.size();
    }
}
