-- A codex that is read-mostly is replicated rather than split when too heavy to move.
ALTER TABLE codex ADD COLUMN read_mostly boolean NOT NULL DEFAULT false;
CREATE INDEX codex_pressure ON codex (pressure DESC, codex_id);
-- Set by a ritual spread plan that deferred this (low-priority) ritual.
ALTER TABLE ritual ADD COLUMN deferred_until timestamptz;

-- Every computed plan, as answered. The unique idempotency key makes a repeated POST /rebalance
-- (also concurrent repeats) find the first plan instead of planning and applying twice.
CREATE TABLE rebalance_plan (
    plan_id         uuid PRIMARY KEY,
    idempotency_key varchar(200) UNIQUE,
    body            jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rebalance_plan_recent ON rebalance_plan (created_at DESC, plan_id);

-- The codex decentralization queue. One open (pending or claimed) task per codex.
CREATE TABLE decentralization_task (
    task_id          uuid PRIMARY KEY,
    plan_id          uuid         NOT NULL REFERENCES rebalance_plan (plan_id),
    codex_id         varchar(150) NOT NULL,
    action           varchar(16)  NOT NULL CHECK (action IN ('split', 'replicate')),
    shards           integer      NOT NULL CHECK (shards > 0),
    status           varchar(16)  NOT NULL CHECK (status IN ('pending', 'claimed', 'done', 'failed')),
    worker           varchar(150),
    lease_expires_at timestamptz,
    attempts         integer      NOT NULL DEFAULT 0,
    reason           varchar(500),
    created_at       timestamptz  NOT NULL DEFAULT now(),
    updated_at       timestamptz  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX decentralization_task_open ON decentralization_task (codex_id) WHERE status IN ('pending', 'claimed');
CREATE INDEX decentralization_task_queue ON decentralization_task (status, created_at, task_id);
