-- Retention (DESIGN.md "Retention"): the purge finds old signals and old ended events by these.
CREATE INDEX signal_received ON signal (received_at);
CREATE INDEX healing_event_ended ON healing_event (resolved_at) WHERE resolved_at IS NOT NULL;
