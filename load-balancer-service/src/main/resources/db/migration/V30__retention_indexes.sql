-- Retention (DESIGN.md "Retention"): a plan's tasks are found by plan when the plan is purged, and plans
-- whose idempotency key is to be forgotten by their age.
CREATE INDEX decentralization_task_plan ON decentralization_task (plan_id);
CREATE INDEX rebalance_plan_keyed ON rebalance_plan (created_at) WHERE idempotency_key IS NOT NULL;
