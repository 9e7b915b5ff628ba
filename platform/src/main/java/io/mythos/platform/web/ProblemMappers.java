package io.mythos.platform.web;

import io.mythos.common.web.Problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.mythos.platform.sql.SqlState;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where exceptions become HTTP answers, shared by all three services: every client
 * mistake is a problem+json 4xx, and only a bug of ours is a 5xx (logged with an id that the answer
 * repeats, never with internals in the body).
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response r = respond(e.toProblem());
        // A 503 is temporary by definition: tell clients when to try again (so is a 409 that says so).
        if (e.retryAfterSeconds() != null) {
            return Response.fromResponse(r).header("Retry-After", String.valueOf(e.retryAfterSeconds())).build();
        }
        return e.status() == 503 ? Response.fromResponse(r).header("Retry-After", "1").build() : r;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.Violation> violations = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            violations.add(new Problem.Violation(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        violations.sort(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
        return respond(badRequest(summary(violations), violations));
    }

    /** Quarkus REST rethrows these itself; mapped here so that its own JSON-but-not-problem mapper never answers. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return respond(jsonProblem(e));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return respond(jsonProblem(e));
    }

    /** 404 unknown route, 405, 406, 415, 413 and any other status JAX-RS raises itself. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return respond(jsonProblem(jpe)); // Quarkus REST wraps most body-reading errors in a 400
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // JAX-RS turns an unconvertible path or query parameter into a 404; it is a bad request.
            return respond(badRequest(scrub("A path or query parameter has an invalid value: " + e.getCause().getMessage()), null));
        }
        if (status >= 500) {
            return unexpected(e);
        }
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family != Response.Status.Family.CLIENT_ERROR) {
            return e.getResponse();
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Client Error" : type.getReasonPhrase();
        return respond(new Problem("about:blank", title, status, detailFor(status, e), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (databaseUnavailable(e)) {
            // Not a bug and not the client's fault: the database is restarting or unreachable.
            LOG.warnf("Database unavailable: %s", e.getMessage());
            return Response.fromResponse(respond(new Problem("about:blank", "Service Unavailable", 503,
                    "The database is unavailable; retry shortly", null))).header("Retry-After", "1").build();
        }
        if (databaseWaitTimedOut(e)) {
            // A bounded wait (io.mythos.platform.database.BoundedWaits) ran out: busy, not broken.
            LOG.warnf("Database wait past its bound: %s", e.getMessage());
            return Response.fromResponse(respond(new Problem("about:blank", "Service Unavailable", 503,
                    "The database is busy (a wait passed its bound); retry shortly", null))).header("Retry-After", "1").build();
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", id);
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "An unexpected error occurred; it was logged with id " + id, null));
    }

    /** Malformed or truncated JSON and NaN tokens; wrong types, unknown enum values, non-finite numbers. */
    static Problem jsonProblem(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException jme)) {
            return new Problem("about:blank", "Malformed JSON", 400,
                    scrub("The request body is not valid JSON: " + e.getOriginalMessage()), null);
        }
        String field = pathOf(jme);
        String message;
        if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
            message = "must be one of " + enumValues(ife.getTargetType());
        } else if (JsonConfig.NOT_FINITE.equals(e.getOriginalMessage()) || JsonConfig.NO_NUL.equals(e.getOriginalMessage())) {
            message = e.getOriginalMessage();
        } else if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
            message = vie.getCause().getMessage();
        } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            message = "has the wrong type (expected " + typeName(mie.getTargetType()) + ")";
        } else {
            message = e.getOriginalMessage();
        }
        if (field.isEmpty()) {
            field = "body";
        }
        message = scrub(message);
        return badRequest(field + ": " + message, List.of(new Problem.Violation(field, message)));
    }

    /** Refused, reset or closed connections, and PostgreSQL's connection (08) and shutdown (57P) states. */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // refused, reset or closed connections (SocketException covers ConnectException; netty's
            // native transport reports a reset as a plain IOException)
            // (a pooled connection that closed between its acquisition and its use fails with a bare
            // "Connection is not active now" throwable, not a ClosedConnectionException)
            if (t instanceof java.net.SocketException || t instanceof ClosedConnectionException
                    || (t instanceof java.io.IOException && String.valueOf(t.getMessage()).contains("Connection reset"))
                    || String.valueOf(t.getMessage()).startsWith("Connection is not active now")) {
                return true;
            }
            if (t instanceof DatabaseException db && db.getSqlState() != null
                    && (db.getSqlState().startsWith("08") || db.getSqlState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A bounded database wait that ran out: PostgreSQL's lock_timeout (55P03) or statement_timeout (57014),
     * or the pool's wait for a connection.
     */
    static boolean databaseWaitTimedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException db && (SqlState.LOCK_NOT_AVAILABLE.equals(db.getSqlState())
                    || SqlState.QUERY_CANCELED.equals(db.getSqlState()))) {
                return true;
            }
            // the pool's wait for a connection (vertx-sql-client 4.5 fails it with a bare "Timeout")
            if ((t instanceof io.vertx.core.impl.NoStackTraceThrowable || t instanceof io.vertx.core.VertxException)
                    && String.valueOf(t.getMessage()).startsWith("Timeout")) {
                return true;
            }
        }
        return false;
    }

    /** A Java type name: a package path ending in a capitalised class (java.lang.Double, io.mythos....SignalRequest). */
    private static final java.util.regex.Pattern CLASS_NAME =
            java.util.regex.Pattern.compile("`?\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:\\[])*`?");

    /**
     * What a library says about a client's mistake, without our internals: Jackson and JAX-RS messages may
     * name Java types (DESIGN.md "Access control": no class names in a detail); each becomes "a value of the
     * expected type", and the message is cut at its first line (Jackson appends source locations).
     */
    static String scrub(String message) {
        if (message == null) {
            return "invalid value";
        }
        String line = message.lines().findFirst().orElse("");
        return CLASS_NAME.matcher(line).replaceAll("a value of the expected type");
    }

    static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    static Problem badRequest(String detail, List<Problem.Violation> violations) {
        return new Problem("about:blank", "Bad Request", 400, detail, violations);
    }

    private static String detailFor(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed on this resource";
            case 406 -> "None of the accepted media types can be produced; use application/json";
            case 413 -> "The request body is larger than the limit of 1 MiB";
            case 415 -> "Unsupported media type; send application/json";
            default -> scrub(e.getMessage());
        };
    }

    private static String summary(List<Problem.Violation> violations) {
        StringBuilder sb = new StringBuilder();
        for (Problem.Violation v : violations) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(v.field()).append(": ").append(v.message());
        }
        return sb.toString();
    }

    /**
     * Bean Validation paths look like {@code put.body.beliefs[x]} (method, parameter, properties):
     * the client knows neither our method nor our parameter names, so keep what lies inside the body,
     * or the parameter name for a path or query parameter, in snake_case.
     */
    static String fieldOf(Path path) {
        List<Path.Node> nodes = new ArrayList<>();
        path.forEach(nodes::add);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node n = nodes.get(i);
            ElementKind kind = n.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE
                    || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (kind == ElementKind.PARAMETER && i < nodes.size() - 1) {
                continue; // a body parameter: its properties follow
            }
            if (n.getIndex() != null) {
                sb.append('[').append(n.getIndex()).append(']');
            } else if (n.getKey() != null) {
                sb.append('[').append(n.getKey()).append(']');
            }
            if (n.getName() != null && kind != ElementKind.CONTAINER_ELEMENT) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(snake(n.getName()));
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String enumValues(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) {
            names.add(WireEnum.wireName((Enum<?>) c));
        }
        return names.toString();
    }

    private static String typeName(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class || type.isEnum()) {
            return "string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }
}
