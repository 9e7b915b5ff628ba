package io.mythos.platform.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;

/**
 * Every REST-assured request of a {@code @QuarkusTest} carries an operator token unless the test says
 * otherwise: {@code given().auth().none()} for no token, {@code given().auth().oauth2(TestTokens.of(...))}
 * for another. Runs in the test's class loader, the one whose RestAssured the test uses.
 */
public class DefaultToken implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        RestAssured.authentication = RestAssured.oauth2(TestTokens.operator());
    }
}
