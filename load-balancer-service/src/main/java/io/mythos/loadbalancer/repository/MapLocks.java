package io.mythos.loadbalancer.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The load map's locks: PostgreSQL advisory locks held until the transaction ends, so that they hold
 * across service instances too.
 *
 * <ul>
 * <li>A write to some groups (a rebalance of a group or of one assistant, codices or rituals posted or
 * deleted) takes the whole map's lock in <em>shared</em> mode, then each group's own lock, in the order of
 * their keys (so that two writes never wait on each other in a circle). Rebalances of different groups run
 * side by side; the writes to one group run one after the other, so a plan is applied to exactly the group
 * it was computed on.</li>
 * <li>A write that may change which group an assistant is in (assistants posted, an assistant deleted) or
 * that covers every group (a whole-map rebalance) takes the whole map's lock <em>exclusively</em>. While a
 * transaction holds the shared lock, no assistant changes group: what a group-scoped write reads of the
 * groups stays true until it commits.</li>
 * </ul>
 */
@ApplicationScoped
public class MapLocks {

    /** The whole map's key ("LOADMAP" in ASCII), in the one-bigint key space. */
    static final long WHOLE_MAP = 0x4c4f41444d4150L;
    /** Group keys are (GROUPS, hash of the group name), in the two-int key space: never equal to the above. */
    static final int GROUPS = 0x4c4d4750;

    public Uni<Void> wholeMap(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(WHOLE_MAP)).replaceWithVoid();
    }

    public Uni<Void> wholeMapShared(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock_shared($1)").execute(Tuple.of(WHOLE_MAP)).replaceWithVoid();
    }

    /** The shared whole-map lock, then each group's lock. */
    public Uni<Void> groups(SqlConnection conn, Collection<String> groups) {
        return wholeMapShared(conn).chain(() -> groupsOnly(conn, groups));
    }

    /**
     * Each group's lock, in key order (two groups whose names hash alike share a lock: that only makes
     * them wait on each other). The caller holds the shared whole-map lock already.
     */
    public Uni<Void> groupsOnly(SqlConnection conn, Collection<String> groups) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int key : keys(groups)) {
            chain = chain.chain(() -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)")
                    .execute(Tuple.of(GROUPS, key)).replaceWithVoid());
        }
        return chain;
    }

    /** The lock keys of these groups, distinct and in order. */
    static TreeSet<Integer> keys(Collection<String> groups) {
        TreeSet<Integer> keys = new TreeSet<>();
        for (String g : groups) {
            keys.add(g.hashCode());
        }
        return keys;
    }
}
