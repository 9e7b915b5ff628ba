package io.mythos.platform.web;

import io.mythos.common.web.Problem;

import java.util.List;

/**
 * A client mistake the service detected itself (unknown id, unknown reference, conflict, a rule
 * that Bean Validation cannot express). Mapped to problem+json by {@link ProblemMappers}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final transient List<Problem.Violation> violations;

    public ProblemException(int status, String title, String detail, List<Problem.Violation> violations) {
        super(detail, null, false, false); // no stack trace: these are expected outcomes, not bugs
        this.status = status;
        this.title = title;
        this.violations = violations;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail, null);
    }

    public static ProblemException unknownReference(String detail) {
        return new ProblemException(422, "Unknown Reference", detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, null);
    }

    public static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "Bad Request", field + ": " + message,
                List.of(new Problem.Violation(field, message)));
    }

    public int status() {
        return status;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), violations);
    }
}
