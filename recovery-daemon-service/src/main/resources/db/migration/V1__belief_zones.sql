-- A belief zone: what the last check found, and the counters the daemon needs between cycles.
-- reported_seq grows with each report and checked_seq is the value the last recovery saw, so a zone
-- that received a report since is checked again even if it was converged.
CREATE TABLE zone (
    zone                varchar(150)     PRIMARY KEY,
    status              varchar(16)      NOT NULL DEFAULT 'diverged',
    divergence          double precision NOT NULL DEFAULT 0,
    cycles              integer          NOT NULL DEFAULT 0,
    last_recovery_score double precision,
    cycles_without_fall integer          NOT NULL DEFAULT 0,
    stall_reported      boolean          NOT NULL DEFAULT false,
    reported_seq        bigint           NOT NULL DEFAULT 0,
    checked_seq         bigint           NOT NULL DEFAULT -1,
    updated_at          timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX zone_to_check ON zone (zone) WHERE status <> 'converged' OR reported_seq <> checked_seq;

-- One replica of a zone's beliefs per assistant; version grows with each report and each resync
-- (optimistic resync: UPDATE ... WHERE version = the version read). reported_at only moves on reports.
-- JSON columns are json, not jsonb: they are never queried inside, only written and read whole, and
-- json skips jsonb's parse on write and its re-serialisation on read (a cycle moves ~20 MB of them).
CREATE TABLE replica (
    zone         varchar(150) NOT NULL REFERENCES zone (zone),
    assistant_id varchar(150) NOT NULL,
    beliefs      json         NOT NULL,
    version      bigint       NOT NULL DEFAULT 1,
    reported_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, assistant_id)
);

-- The seed's BeliefNetworkRecoveryDaemon model: one row per recovery of a zone.
CREATE TABLE recovery_event (
    id                           uuid PRIMARY KEY,
    network_zone                 varchar(150)     NOT NULL,
    detected_failure             json             NOT NULL,
    memory_resync_attempts       json             NOT NULL,
    codex_realignment_vector     json             NOT NULL,
    assistant_reflection_scripts text             NOT NULL,
    recovery_score               double precision NOT NULL,
    created_at                   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX recovery_event_zone ON recovery_event (network_zone, created_at DESC);
CREATE INDEX recovery_event_recent ON recovery_event (created_at DESC);

-- The belief path: the zone's divergence after each of its recovery cycles.
CREATE TABLE zone_path (
    zone       varchar(150)     NOT NULL REFERENCES zone (zone),
    cycle      integer          NOT NULL,
    at         timestamptz      NOT NULL DEFAULT now(),
    divergence double precision NOT NULL,
    PRIMARY KEY (zone, cycle)
);

-- Idempotency-Key of POST .../recover: the key row is inserted in the recovery's transaction, so a
-- repeated (or concurrent) key finds the first answer instead of recovering again.
CREATE TABLE recover_request (
    idempotency_key varchar(200) PRIMARY KEY,
    zone            varchar(150) NOT NULL,
    response        text,
    created_at      timestamptz  NOT NULL DEFAULT now()
);

-- Outbox of stalled zones to report to the healing service; a row stays pending until the healing
-- service answers (202: sent, 422: rejected), so an unreachable service is retried on later cycles.
CREATE TABLE escalation (
    id            bigserial        PRIMARY KEY,
    zone          varchar(150)     NOT NULL,
    assistant_id  varchar(150)     NOT NULL,
    divergence    double precision NOT NULL,
    status        varchar(16)      NOT NULL DEFAULT 'pending',
    attempts      integer          NOT NULL DEFAULT 0,
    last_error    text,
    claimed_until timestamptz,
    created_at    timestamptz      NOT NULL DEFAULT now(),
    sent_at       timestamptz
);
CREATE INDEX escalation_pending ON escalation (id) WHERE status = 'pending';
