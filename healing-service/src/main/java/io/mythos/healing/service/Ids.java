package io.mythos.healing.service;

import io.mythos.platform.web.ProblemException;
import java.util.UUID;

/** Ids in paths: a UUID in its canonical 36-character form, else a 400. */
final class Ids {

    private Ids() {
    }

    static UUID uuid(String id) {
        try {
            if (id == null || id.length() != 36) {
                throw new IllegalArgumentException(id);
            }
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("id", "must be a UUID");
        }
    }
}
