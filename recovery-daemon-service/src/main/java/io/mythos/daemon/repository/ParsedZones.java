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
 * its row keeps the version, reported_at and xmin it was parsed at: every write moves the version or
 * reported_at (a report both, a resync the version, a replica deleted and reported again gets a later
 * reported_at), and the xmin (the writing transaction) tells a committed row from the one a report parsed
 * before its transaction rolled back (a 422) with the same version and timestamp. Bounded by the
 * values it holds in all (least recently used zones go first); a zone above the bound is not kept.
 */
public final class ParsedZones {

    /** A replica as parsed, with the row's version, reported_at and xmin it belongs to. */
    public record Parsed(long version, OffsetDateTime reportedAt, long xmin, BeliefTable.Row row) {
    }

    /** A replica row as read (with its xmin): its text only when the cached row was not valid (else null). */
    public record Read(ReplicaMeta meta, long xmin, String beliefsText) {
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
                    parsed = new Parsed(m.version(), m.reportedAt(), read.xmin(), BeliefMapText.readRow(read.beliefsText(), names));
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
    // guarded by this: the zones, least recently used first, with the values last counted for each
    private final LinkedHashMap<String, Zone> zones = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Zone, Long> counted = new HashMap<>();
    private long total;

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
        if (zones.get(zone) != entry) {
            return; // dropped meanwhile (another read took its place)
        }
        long values = entry.values();
        Long before = counted.get(entry);
        total += values - (before == null ? 0 : before);
        counted.put(entry, values);
        if (entry.namesOutgrown(namesInUse) || values > maxValues) {
            drop(zone);
        }
        // iterate the entries: a get() on an access-ordered map would reorder it under the iterator
        for (Iterator<Map.Entry<String, Zone>> it = zones.entrySet().iterator(); it.hasNext() && total > maxValues; ) {
            Long gone = counted.remove(it.next().getValue());
            total -= gone == null ? 0 : gone;
            it.remove();
        }
    }

    private void drop(String zone) {
        Zone entry = zones.remove(zone);
        Long values = counted.remove(entry);
        total -= values == null ? 0 : values;
    }

    /** Values held in all (for the tests). */
    synchronized long values() {
        return total;
    }

    synchronized boolean holds(String zone) {
        return zones.containsKey(zone);
    }
}
