package io.mythos.platform.database;

import io.mythos.platform.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Test-only routes that wait on the database: for a lock, for a slow statement, for a pooled connection. */
@Path("/test/waits")
@RolesAllowed(Roles.REPORTER)
public class WaitProbe {

    private final Pool pool;

    public WaitProbe(Pool pool) {
        this.pool = pool;
    }

    @POST
    @Path("/lock/{key}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Boolean>> lock(@PathParam("key") long key) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(key)))
                .map(rows -> Map.of("locked", true));
    }

    @POST
    @Path("/sleep/{seconds}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Boolean>> sleep(@PathParam("seconds") double seconds) {
        return pool.preparedQuery("SELECT pg_sleep($1)").execute(Tuple.of(seconds)).map(rows -> Map.of("slept", true));
    }
}
