package io.mythos.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an {@code Idempotency-Key} is bound to (DESIGN.md "Idempotency"): the route it is scoped to, and
 * a fingerprint of the request (SHA-256 of the path and the canonical body), so that the same key on a
 * different request (another zone, a dry run after a real run) is recognised as such.
 *
 * @param route the route template the key is scoped to, e.g. {@code POST /system/load/rebalance}
 * @param key the client's key, 1..200 printable characters
 * @param fingerprint hex SHA-256 of the request
 */
public record IdempotentRequest(String route, String key, String fingerprint) {

    /**
     * @param path the request's path as called ({@code /system/daemon/zones/z1/recover})
     * @param canonicalBody the body as the service understood it, written in one canonical form (the
     *        validated request record with its defaults filled in, through the service's JSON writer), so
     *        that spelling differences of one request ({@code {}} and {@code {"dry_run": false}}) do not
     *        count as different requests; empty for a route without a body
     * @return null when there is no key: the request runs without idempotency
     */
    public static IdempotentRequest of(String route, String key, String path, String canonicalBody) {
        if (key == null) {
            return null;
        }
        return new IdempotentRequest(route, key, sha256(path + "\n" + (canonicalBody == null ? "" : canonicalBody)));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
