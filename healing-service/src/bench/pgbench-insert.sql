-- pgbench custom script: one single-row INSERT per transaction into a table shaped like healing.signal.
\set node random(0, 49)
INSERT INTO bench.signal (node_id, assistant_id, kind, value, observed_at, detail)
VALUES ('pgbench-node-' || :node, 'bench-assistant', 'entropy_spike', 0.42, now(), 'pgbench');
