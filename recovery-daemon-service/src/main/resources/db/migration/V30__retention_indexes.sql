-- Retention (DESIGN.md "Retention"): the purge finds old path points, replicas without reports, ended
-- escalations and idempotency answers by their age.
CREATE INDEX zone_path_at ON zone_path (at);
CREATE INDEX replica_reported ON replica (reported_at);
CREATE INDEX escalation_ended ON escalation (created_at) WHERE status <> 'pending';
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
