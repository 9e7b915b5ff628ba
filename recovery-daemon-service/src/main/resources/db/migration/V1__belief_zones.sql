-- One replica of a zone's beliefs per assistant; version grows with each report (optimistic resync).
CREATE TABLE replica (
    zone         varchar(150) NOT NULL,
    assistant_id varchar(150) NOT NULL,
    beliefs      jsonb        NOT NULL,
    version      bigint       NOT NULL DEFAULT 1,
    reported_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (zone, assistant_id)
);

-- The seed's BeliefNetworkRecoveryDaemon model: one row per recovery of a zone.
CREATE TABLE recovery_event (
    id                           uuid PRIMARY KEY,
    network_zone                 varchar(150)     NOT NULL,
    detected_failure             jsonb            NOT NULL,
    memory_resync_attempts       jsonb            NOT NULL,
    codex_realignment_vector     jsonb            NOT NULL,
    assistant_reflection_scripts text             NOT NULL,
    recovery_score               double precision NOT NULL,
    created_at                   timestamptz      NOT NULL DEFAULT now()
);
CREATE INDEX recovery_event_zone ON recovery_event (network_zone, created_at DESC);
