package io.mythos.platform.retention;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/** The probe application's plan: one table of RetentionTest's, rows older than one hour go. */
@ApplicationScoped
public class ProbeRetentionPlan implements RetentionPlan {

    static final String TABLE = "public.retention_probe";

    @Override
    public String service() {
        return "probe";
    }

    @Override
    public List<Purge> purges() {
        return List.of(Purge.olderThan("probe-rows", Duration.ofHours(1), TABLE, "created_at", "NOT keep"));
    }
}
