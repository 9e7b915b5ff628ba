-- The platform's idempotency store (io.mythos.platform.idempotency.IdempotencyStore, DESIGN.md "Idempotency"):
-- a key is scoped to its route and bound to a fingerprint of the request; the answer is kept with it until
-- expires_at (created_at + mythos.daemon.retention.idempotency-keys, P1D by default), after which the
-- key counts as new and the retention job deletes the row (WHERE expires_at < now()).
CREATE TABLE idempotency_key (
    route       varchar(100) NOT NULL,
    key         varchar(200) NOT NULL,
    fingerprint char(64)     NOT NULL,
    status      smallint,
    body        text,
    created_at  timestamptz  NOT NULL DEFAULT now(),
    expires_at  timestamptz  NOT NULL,
    PRIMARY KEY (route, key)
);
CREATE INDEX idempotency_key_expires ON idempotency_key (expires_at);

-- The recover route's own key table is replaced by the store above (its keys were bound to the zone only).
DROP TABLE recover_request;
