-- Retention (DESIGN.md "Retention"): a plan's tasks are found by plan when the plan is purged, and
-- idempotency keys by their age.
CREATE INDEX decentralization_task_plan ON decentralization_task (plan_id);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
