-- An action keeps a bounded summary of its peer's answer (client/PeerAnswers.java), no longer the whole
-- answer: whole plans and recovery records made events as large as the map, and a page of them outgrew the
-- heap (issue 12). The results stored before are cut down to the same summary here.

CREATE FUNCTION pg_temp.kept(answer jsonb, names text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
      FROM jsonb_each(answer) e
     WHERE e.key = ANY (names) AND jsonb_typeof(e.value) NOT IN ('object', 'array', 'null')
$$;

CREATE FUNCTION pg_temp.inner_kept(answer jsonb, field text, names text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(answer -> field) = 'object'
                THEN jsonb_build_object(field, pg_temp.kept(answer -> field, names)) ELSE '{}'::jsonb END
$$;

CREATE FUNCTION pg_temp.counts(answer jsonb, names text[]) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN count(*) = 0 THEN '{}'::jsonb
                ELSE jsonb_build_object('counts', jsonb_object_agg(e.key, CASE jsonb_typeof(e.value)
                    WHEN 'array' THEN jsonb_array_length(e.value)
                    ELSE (SELECT count(*) FROM jsonb_object_keys(e.value)) END)) END
      FROM jsonb_each(answer) e
     WHERE e.key = ANY (names) AND jsonb_typeof(e.value) IN ('object', 'array')
$$;

UPDATE repair_action
   SET result = pg_temp.kept(result, ARRAY['plan_id', 'dry_run', 'applied', 'pressure_reduction', 'moved_pressure',
                                           'computed_in_ms', 'created_at'])
                || pg_temp.inner_kept(result, 'scope', ARRAY['group', 'assistant_id'])
                || pg_temp.inner_kept(result, 'before', ARRAY['max_utilization', 'mean_utilization', 'imbalance'])
                || pg_temp.inner_kept(result, 'after', ARRAY['max_utilization', 'mean_utilization', 'imbalance'])
                || pg_temp.counts(result, ARRAY['redistribution', 'decentralization_tasks', 'ritual_spread'])
 WHERE type IN ('rebalance_load', 'spread_rituals') AND jsonb_typeof(result) = 'object'
   AND result ?| ARRAY['redistribution', 'decentralization_tasks', 'ritual_spread'];

UPDATE repair_action
   SET result = pg_temp.kept(result, ARRAY['id', 'network_zone', 'status', 'divergence', 'recovery_score', 'created_at'])
                || pg_temp.inner_kept(result, 'detected_failure', ARRAY['zone_divergence', 'threshold'])
                || pg_temp.counts(result, ARRAY['memory_resync_attempts', 'codex_realignment_vector'])
 WHERE type IN ('resync_memory', 'realign_codex') AND jsonb_typeof(result) = 'object'
   AND result ?| ARRAY['memory_resync_attempts', 'codex_realignment_vector', 'assistant_reflection_scripts'];
