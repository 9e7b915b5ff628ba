-- Health signals as received. Deleting an assistant deletes its signals, as it deletes its events.
CREATE TABLE signal (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_id      varchar(150)  NOT NULL,
    assistant_id varchar(150)  NOT NULL REFERENCES assistant (assistant_id) ON DELETE CASCADE,
    kind         varchar(32)   NOT NULL
        CHECK (kind IN ('entropy_spike', 'ritual_failure', 'codex_conflict', 'symbolic_error')),
    value        double precision CHECK (value >= 0 AND value <= 1),
    observed_at  timestamptz   NOT NULL,
    received_at  timestamptz   NOT NULL DEFAULT now(),
    detail       varchar(2000)
);
-- The window rules count a node's signals of one kind by observation time.
CREATE INDEX signal_node_kind_observed ON signal (node_id, kind, observed_at);
CREATE INDEX signal_assistant ON signal (assistant_id);

-- One rule per signal kind. Rows written from application.properties at start-up unless a PUT changed them
-- (set_by_api), so that a run-time change survives restarts and a config change reaches untouched rules.
CREATE TABLE rule (
    kind             varchar(32) PRIMARY KEY
        CHECK (kind IN ('entropy_spike', 'ritual_failure', 'codex_conflict', 'symbolic_error')),
    threshold        double precision,
    window_seconds   integer     NOT NULL CHECK (window_seconds >= 0),
    min_occurrences  integer     NOT NULL CHECK (min_occurrences >= 1),
    cooldown_seconds integer     NOT NULL CHECK (cooldown_seconds >= 0),
    set_by_api       boolean     NOT NULL DEFAULT false,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- The repair actions of an event: the transactional outbox, written with the event, run afterwards.
CREATE TABLE repair_action (
    id              uuid PRIMARY KEY,
    event_id        uuid         NOT NULL REFERENCES healing_event (id) ON DELETE CASCADE,
    seq             smallint     NOT NULL,
    type            varchar(32)  NOT NULL
        CHECK (type IN ('rebalance_load', 'resync_memory', 'spread_rituals', 'realign_codex')),
    target          varchar(150) NOT NULL,
    status          varchar(16)  NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'succeeded', 'skipped', 'failed', 'dry_run')),
    attempts        integer      NOT NULL DEFAULT 0,
    next_attempt_at timestamptz  NOT NULL DEFAULT now(),
    -- set while a call is in flight, so that no other run (or instance) starts it too; expires on a crash
    claimed_until   timestamptz,
    improvement     double precision,
    result          jsonb,
    last_error      varchar(2000),
    updated_at      timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (event_id, seq)
);
CREATE INDEX repair_action_due ON repair_action (next_attempt_at) WHERE status = 'pending';

CREATE INDEX healing_event_created ON healing_event (created_at DESC);
-- The cooldown looks up the latest ended event of a node and trigger.
CREATE INDEX healing_event_node_trigger ON healing_event (node_id, triggered_by, resolved_at DESC);
