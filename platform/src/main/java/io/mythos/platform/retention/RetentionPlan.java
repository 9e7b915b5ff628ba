package io.mythos.platform.retention;

import java.util.List;

/**
 * What one service purges: each service has one bean implementing this, whose durations come from
 * {@code mythos.<service>.retention.<what>} (DESIGN.md "Retention"). {@link Retention} runs it.
 */
public interface RetentionPlan {

    /** The service's name in the lock that keeps two instances from purging at once. */
    String service();

    /** The purges in the order they run (children before parents where a foreign key needs it). */
    List<Purge> purges();
}
