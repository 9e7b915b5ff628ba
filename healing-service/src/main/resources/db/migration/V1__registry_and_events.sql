-- The assistant registry (the seed's Assistant) and the healing events that reference it.
CREATE TABLE assistant (
    assistant_id    varchar(150) PRIMARY KEY,
    name            varchar(150) NOT NULL,
    assistant_group varchar(150) NOT NULL,
    zone            varchar(150) NOT NULL,
    created_at      timestamptz  NOT NULL DEFAULT now(),
    updated_at      timestamptz  NOT NULL DEFAULT now()
);

-- The seed's SelfHealingProtocolEngine model; deleting an assistant deletes its events (on_delete=CASCADE).
CREATE TABLE healing_event (
    id                    uuid PRIMARY KEY,
    node_id               varchar(150) NOT NULL,
    triggered_by          varchar(32)  NOT NULL
        CHECK (triggered_by IN ('entropy_spike', 'ritual_failure', 'codex_conflict', 'symbolic_error')),
    assistant_id          varchar(150) NOT NULL REFERENCES assistant (assistant_id) ON DELETE CASCADE,
    status                varchar(16)  NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'resolved', 'failed')),
    occurrences           integer      NOT NULL DEFAULT 1,
    symbolic_health_delta double precision,
    created_at            timestamptz  NOT NULL DEFAULT now(),
    resolved_at           timestamptz
);
CREATE INDEX healing_event_assistant ON healing_event (assistant_id);
-- At most one active event per node and trigger: the database, not the Java code, enforces it.
CREATE UNIQUE INDEX healing_event_one_active ON healing_event (node_id, triggered_by) WHERE status = 'active';
