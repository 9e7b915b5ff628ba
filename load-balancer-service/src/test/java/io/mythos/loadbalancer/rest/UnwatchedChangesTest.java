package io.mythos.loadbalancer.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mythos.loadbalancer.service.BalancerMetrics;
import io.mythos.platform.testing.AtOnce;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With no stream open, the recomputation after a change is shared by the changes that come while one runs; each
 * write still answers figures computed after it committed (its own change is in them), and the map ends with all.
 */
@QuarkusTest
class UnwatchedChangesTest {

    @Inject
    BalancerMetrics metrics;

    private static double totalPressure() {
        return given().when().get("/system/load").then().statusCode(200).extract().jsonPath().getDouble("metrics.total_pressure");
    }

    @Test
    void concurrentWritesEachAnswerFiguresThatHoldTheirOwnChange() throws Exception {
        assertEquals(0, metrics.openStreams(), "no stream is open: the shared recomputation is the one under test");
        double base = totalPressure();
        int writers = 12;
        Maps m = new Maps();
        for (int i = 0; i < writers; i++) {
            m.assistant("a" + i, "g" + i, 100, 0);
        }
        m.post();
        double before = totalPressure();
        assertEquals(base, before, 1e-6, "assistants alone carry no pressure");

        List<Double> answered = AtOnce.run(writers, i -> () -> given().contentType(ContentType.JSON)
                .body(Map.of("codices", List.of(Map.of("codex_id", m.id("c" + i), "assistant_id", m.id("a" + i),
                        "pressure", 1.0 + i))))
                .post("/system/load/pressure").then().statusCode(200)
                .extract().jsonPath().getDouble("metrics.total_pressure"));

        double all = 0;
        for (int i = 0; i < writers; i++) {
            all += 1.0 + i;
        }
        for (int i = 0; i < writers; i++) {
            double own = answered.get(i);
            assertTrue(own >= before + 1.0 + i - 1e-6 && own <= before + all + 1e-6,
                    "writer " + i + " answered a total of " + own + " that must hold its own " + (1.0 + i));
        }
        assertEquals(before + all, totalPressure(), 1e-6);
    }
}
