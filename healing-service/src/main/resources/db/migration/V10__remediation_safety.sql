-- Remediation safety (DESIGN.md): verification, the flapping guard, the storm guard, silences and the audit trail.

-- Event lifecycle: escalated (flapping guard, no actions, ended by an operator) and silenced (a silence matched,
-- no actions, ended when its silence ends). An event is open while resolved_at is null, whatever its status.
ALTER TABLE healing.healing_event DROP CONSTRAINT healing_event_status_check;
ALTER TABLE healing.healing_event ADD CONSTRAINT healing_event_status_check
    CHECK (status IN ('active', 'resolved', 'failed', 'escalated', 'silenced'));
ALTER TABLE healing.healing_event
    ADD COLUMN effective      boolean,
    ADD COLUMN recurrences    integer      NOT NULL DEFAULT 0,
    ADD COLUMN verify_until   timestamptz,
    ADD COLUMN reason         varchar(500),
    ADD COLUMN silence_id     uuid,
    ADD COLUMN silenced_until timestamptz,
    ADD COLUMN resolved_by    varchar(300),
    ADD COLUMN last_fired_at  timestamptz  NOT NULL DEFAULT now();
-- One open event per node and trigger (active, escalated or silenced): firings count on it.
CREATE UNIQUE INDEX healing_event_one_open ON healing.healing_event (node_id, triggered_by) WHERE resolved_at IS NULL;
DROP INDEX healing.healing_event_one_active;
-- The verification job finds the resolved events whose window has passed.
CREATE INDEX healing_event_verifying ON healing.healing_event (verify_until) WHERE effective IS NULL AND status = 'resolved';

-- Held actions (storm guard): they wait, not claimed by the retrier, until their group's storm ends.
ALTER TABLE healing.repair_action DROP CONSTRAINT repair_action_status_check;
ALTER TABLE healing.repair_action ADD CONSTRAINT repair_action_status_check
    CHECK (status IN ('pending', 'succeeded', 'skipped', 'failed', 'dry_run', 'held'));
ALTER TABLE healing.repair_action
    ADD COLUMN hold_reason varchar(32),
    ADD COLUMN held_group  varchar(150),
    ADD COLUMN released_at timestamptz;
CREATE INDEX repair_action_held ON healing.repair_action (held_group) WHERE status = 'held';

-- Per rule: how long a resolved event is watched, and how many ineffective repairs within the flapping window escalate.
ALTER TABLE healing.rule
    ADD COLUMN verify_seconds  integer NOT NULL DEFAULT 120 CHECK (verify_seconds >= 0),
    ADD COLUMN max_ineffective integer NOT NULL DEFAULT 3 CHECK (max_ineffective >= 1);

-- One storm decision per group: a row while the group's new actions are held.
CREATE TABLE healing.storm (
    assistant_group varchar(150) PRIMARY KEY,
    started_at      timestamptz  NOT NULL DEFAULT now(),
    fraction        double precision NOT NULL
);

CREATE TABLE healing.silence (
    id              uuid PRIMARY KEY,
    node_id         varchar(150),
    assistant_id    varchar(150),
    assistant_group varchar(150),
    triggered_by    varchar(32)
        CHECK (triggered_by IN ('entropy_spike', 'ritual_failure', 'codex_conflict', 'symbolic_error')),
    starts_at       timestamptz   NOT NULL,
    ends_at         timestamptz   NOT NULL,
    comment         varchar(1000) NOT NULL,
    created_by      varchar(300),
    created_at      timestamptz   NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX silence_ends ON healing.silence (ends_at);

-- Every change an operator makes, with the token's subject.
CREATE TABLE healing.audit (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      timestamptz  NOT NULL DEFAULT now(),
    subject varchar(300),
    action  varchar(64)  NOT NULL,
    target  varchar(300),
    detail  jsonb
);
CREATE INDEX audit_at ON healing.audit (at DESC);
