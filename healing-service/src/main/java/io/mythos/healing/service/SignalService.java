package io.mythos.healing.service;

import io.mythos.common.healing.SignalKind;
import io.mythos.common.healing.SignalRequest;
import io.mythos.common.healing.SignalResponse;
import io.mythos.common.web.Limits;
import io.mythos.common.web.Problem;
import io.mythos.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Accepts health signals: validates them all, stamps the missing observation times, stores them. */
@ApplicationScoped
public class SignalService {

    public static final int MAX_SIGNALS = 1000;
    /** Clock skew tolerated between a sender and this service; a later observed_at is a client mistake. */
    static final Duration MAX_FUTURE = Limits.MAX_FUTURE;
    /** How old an observation may be (DESIGN.md "Limits and isolation"); an older one is a client mistake. */
    static final Duration MAX_PAST = Limits.MAX_PAST;

    private final SignalBatcher batcher;
    private final Validator validator;
    private final Clock clock;

    public SignalService(SignalBatcher batcher, Validator validator, Clock clock) {
        this.batcher = batcher;
        this.validator = validator;
        this.clock = clock;
    }

    /**
     * @param signals the request's signals
     * @param array whether they came as a JSON array (violations then name the element: {@code [3].value})
     */
    public Uni<SignalResponse> accept(List<SignalRequest> signals, boolean array) {
        OffsetDateTime now = OffsetDateTime.now(clock);
        validate(signals, array, now);
        List<SignalRequest> stamped = new ArrayList<>(signals.size());
        for (SignalRequest s : signals) {
            stamped.add(s.observedAt() != null ? s
                    : new SignalRequest(s.nodeId(), s.assistantId(), s.kind(), s.value(), now, s.detail()));
        }
        return batcher.submit(stamped).onFailure(SignalService::refusedValue).transform(e -> new ProblemException(400, "Bad Request",
                "A value of this request cannot be stored; none of its signals was stored", null)).map(outcome -> {
            if (outcome.response() == null) {
                throw ProblemException.unknownReference("No registered assistant " + String.join(", ", outcome.unknownAssistants())
                        + "; register it with PUT /assistants/{assistant_id}. None of the request's signals was stored.");
            }
            return outcome.response();
        });
    }

    private void validate(List<SignalRequest> signals, boolean array, OffsetDateTime now) {
        if (signals.isEmpty() || signals.size() > MAX_SIGNALS) {
            throw ProblemException.invalid("body", "must hold 1 to " + MAX_SIGNALS + " signals");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            String prefix = array ? "[" + i + "]." : "";
            SignalRequest s = signals.get(i);
            if (s == null) {
                violations.add(new Problem.Violation(array ? "[" + i + "]" : "body", "must not be null"));
                continue;
            }
            for (ConstraintViolation<SignalRequest> v : validator.validate(s)) {
                violations.add(new Problem.Violation(prefix + snake(v.getPropertyPath().toString()), v.getMessage()));
            }
            if (s.kind() == SignalKind.ENTROPY_SPIKE && s.value() == null) {
                violations.add(new Problem.Violation(prefix + "value", "is required for entropy_spike"));
            }
            if (s.observedAt() != null && s.observedAt().isAfter(now.plus(MAX_FUTURE))) {
                violations.add(new Problem.Violation(prefix + "observed_at", "must not be more than 5 minutes in the future"));
            }
            if (s.observedAt() != null && s.observedAt().isBefore(now.minus(MAX_PAST))) {
                violations.add(new Problem.Violation(prefix + "observed_at", "must not be more than 30 days in the past"));
            }
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message));
            StringBuilder detail = new StringBuilder();
            for (Problem.Violation v : violations) {
                detail.append(detail.isEmpty() ? "" : "; ").append(v.field()).append(": ").append(v.message());
            }
            throw new ProblemException(400, "Bad Request", detail.toString(), violations);
        }
    }

    /**
     * PostgreSQL refused a value (data exception, class 22, or integrity violation, class 23) of a request
     * written alone (a batch that fails is split, see {@link SignalBatcher}): the client's input, a 400.
     */
    static boolean refusedValue(Throwable e) {
        return e instanceof io.vertx.sqlclient.DatabaseException db && db.getSqlState() != null
                && (db.getSqlState().startsWith("22") || db.getSqlState().startsWith("23"));
    }

    private static String snake(String camel) {
        return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
