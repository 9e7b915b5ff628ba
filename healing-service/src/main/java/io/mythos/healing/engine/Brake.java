package io.mythos.healing.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The brake on concurrent repairs: of the due actions (oldest event first), keep those of events that
 * already have a call in flight, and of at most {@code max} − (running events) further events.
 */
public final class Brake {

    private Brake() {
    }

    public static <T> List<T> select(Set<UUID> runningEvents, List<T> dueOldestFirst, Function<T, UUID> eventOf, int max) {
        Set<UUID> admitted = new HashSet<>(runningEvents);
        List<T> chosen = new ArrayList<>();
        for (T action : dueOldestFirst) {
            UUID event = eventOf.apply(action);
            if (admitted.contains(event) || admitted.size() < max) {
                admitted.add(event);
                chosen.add(action);
            }
        }
        return chosen;
    }
}
