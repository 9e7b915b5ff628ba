package io.mythos.daemon.repository;

import io.mythos.daemon.belief.BeliefNames;
import io.mythos.daemon.belief.BeliefTable;
import io.mythos.daemon.repository.ReplicaRepository.ReplicaMeta;
import io.mythos.daemon.repository.ReplicaRepository.StoredZone;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replicas of recently read zones as parsed rows, so that a report (and a zone read) fetches and parses
 * only the replicas whose row changed since: at the caps a zone's belief texts are ~90 MB, which PostgreSQL
 * would otherwise detoast and send, and the daemon parse, on every report. A parsed replica is valid while
 * its row keeps the version and reported_at it was parsed at (every write moves one of them: a report both,
 * a resync the version; a replica deleted and reported again gets a later reported_at). Bounded by the
 * values it holds in all (least recently used zones go first); a zone above the bound is not kept.
 */
public final class ParsedZones {

    /** A replica as parsed, with the row's version and reported_at it belongs to. */
    public record Parsed(long version, OffsetDateTime reportedAt, BeliefTable.Row row) {
    }

    /** A replica row as read: its text only when the cached row was not valid (else null). */
    public record Read(ReplicaMeta meta, String beliefsText) {
    }

    /** One zone's names and parsed replicas; its methods are synchronized on it. */
    public static final class Zone {

        private final BeliefNames names = new BeliefNames();
        private final Map<String, Parsed> replicas = new HashMap<>();
        private long values;

        /** The parsed replicas now (the tokens to send with the query; the rows to use where it sends no text). */
        public synchronized Map<String, Parsed> snapshot() {
            return new HashMap<>(replicas);
        }

        /**
         * The zone as read: parses the texts sent, takes the others from {@code known} (the snapshot the
         * query was asked with), forgets the replicas no longer stored, and builds the zone's table.
         */
        public synchronized StoredZone update(List<Read> rows, Map<String, Parsed> known) {
            BeliefTable.Builder table = new BeliefTable.Builder(names);
            List<ReplicaMeta> meta = new ArrayList<>(rows.size());
            Set<String> present = new HashSet<>();
            for (Read read : rows) {
                ReplicaMeta m = read.meta();
                Parsed parsed;
                if (read.beliefsText() == null) {
                    parsed = known.get(m.assistantId());
                    if (parsed == null) {
                        throw new IllegalStateException("no parsed replica " + m.assistantId() + " to reuse");
                    }
                } else {
                    parsed = new Parsed(m.version(), m.reportedAt(), BeliefMapText.readRow(read.beliefsText(), names));
                    Parsed before = replicas.put(m.assistantId(), parsed);
                    values += parsed.row().ids().length - (before == null ? 0 : before.row().ids().length);
                }
                present.add(m.assistantId());
                meta.add(m);
                table.add(parsed.row(), m.fresh());
            }
            for (Iterator<Map.Entry<String, Parsed>> it = replicas.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Parsed> e = it.next();
                if (!present.contains(e.getKey())) {
                    values -= e.getValue().row().ids().length;
                    it.remove();
                }
            }
            return new StoredZone(meta, table.build());
        }

        synchronized long values() {
            return values;
        }

        /** Names interned for replicas since replaced: a zone whose names changed much is parsed afresh. */
        synchronized boolean namesOutgrown(int namesInUse) {
            return names.size() > 2L * namesInUse + 1024;
        }
    }

    private final long maxValues;
    private final LinkedHashMap<String, Zone> zones = new LinkedHashMap<>(16, 0.75f, true);

    public ParsedZones(long maxValues) {
        this.maxValues = maxValues;
    }

    /** The zone's entry (a new one if none), as the most recently used. */
    public synchronized Zone zone(String zone) {
        return zones.computeIfAbsent(zone, z -> new Zone());
    }

    /**
     * After an update of {@code entry}: drops it if its names outgrew its replicas or it alone is above the
     * bound, then the least recently used zones while the total is above the bound.
     */
    public synchronized void updated(String zone, Zone entry, int namesInUse) {
        if (entry.namesOutgrown(namesInUse) || entry.values() > maxValues) {
            zones.remove(zone, entry);
        }
        long total = 0;
        for (Zone z : zones.values()) {
            total += z.values();
        }
        for (Iterator<Zone> it = zones.values().iterator(); it.hasNext() && total > maxValues; ) {
            Zone z = it.next();
            total -= z.values();
            it.remove();
        }
    }

    /** Values held in all (for the tests). */
    synchronized long values() {
        long total = 0;
        for (Zone z : zones.values()) {
            total += z.values();
        }
        return total;
    }

    synchronized boolean holds(String zone) {
        return zones.containsKey(zone);
    }
}
