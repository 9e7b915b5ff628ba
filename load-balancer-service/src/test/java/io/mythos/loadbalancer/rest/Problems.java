package io.mythos.loadbalancer.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.specification.ResponseSpecification;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** What every answer of this service is checked against: problem bodies, UTC timestamps. */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    /** An RFC 9457 problem: the status, problem+json, {@code type} about:blank, the title and the status in the body. */
    static ResponseSpecification problem(int status, String title) {
        return new ResponseSpecBuilder().expectStatusCode(status).expectContentType(PROBLEM_JSON)
                .expectBody("type", equalTo("about:blank"))
                .expectBody("title", equalTo(title))
                .expectBody("status", equalTo(status))
                .build();
    }

    static ResponseSpecification badRequest() {
        return problem(400, "Bad Request");
    }

    static ResponseSpecification notFound() {
        return problem(404, "Not Found");
    }

    static ResponseSpecification conflict() {
        return problem(409, "Conflict");
    }

    static ResponseSpecification unknownReference() {
        return problem(422, "Unknown Reference");
    }

    /** A timestamp on the wire: ISO-8601 with the UTC offset, written as {@code Z}. */
    static void assertUtc(String timestamp) {
        assertEquals(ZoneOffset.UTC, OffsetDateTime.parse(timestamp).getOffset(), timestamp);
        assertEquals('Z', timestamp.charAt(timestamp.length() - 1), timestamp);
    }
}
