package io.mythos.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Library messages about a client's mistake reach the client without our Java type names. */
class ScrubTest {

    @Test
    void javaTypeNamesBecomeAPlainWord() {
        assertEquals("Cannot deserialize value of type a value of the expected type from String \"x\"",
                ProblemMappers.scrub("Cannot deserialize value of type `java.lang.Double` from String \"x\""));
        assertEquals("Cannot construct instance of a value of the expected type",
                ProblemMappers.scrub("Cannot construct instance of `io.mythos.common.healing.SignalRequest`"));
        assertEquals("expected a value of the expected type", ProblemMappers.scrub("expected java.lang.String[]"));
    }

    @Test
    void ordinaryMessagesStayAndOnlyTheFirstLineIsKept() {
        assertEquals("For input string: \"1.5\"", ProblemMappers.scrub("For input string: \"1.5\""));
        assertEquals("must be one of [entropy_spike, ritual_failure]", ProblemMappers.scrub("must be one of [entropy_spike, ritual_failure]"));
        assertEquals("Unexpected end-of-input", ProblemMappers.scrub("Unexpected end-of-input\n at [Source: REDACTED; line: 1]"));
        assertEquals("invalid value", ProblemMappers.scrub(null));
    }
}
