-- GET /system/load/plans answers plan summaries (common-model PlanSummary: a plan without its three lists,
-- which are counted), read from this column, so that a page never loads whole plans (a whole-map plan of
-- 10,000 codices is megabytes; a page of 500 of them outgrew the heap). The whole plan stays in body.
ALTER TABLE rebalance_plan ADD COLUMN summary jsonb;

UPDATE rebalance_plan SET summary = jsonb_build_object(
        'plan_id', body -> 'plan_id',
        'scope', body -> 'scope',
        'dry_run', body -> 'dry_run',
        'applied', body -> 'applied',
        'before', body -> 'before',
        'after', body -> 'after',
        'pressure_reduction', body -> 'pressure_reduction',
        'moved_pressure', body -> 'moved_pressure',
        'counts', jsonb_build_object(
                'redistribution', jsonb_array_length(COALESCE(body -> 'redistribution', '[]'::jsonb)),
                'decentralization_tasks', jsonb_array_length(COALESCE(body -> 'decentralization_tasks', '[]'::jsonb)),
                'ritual_spread', jsonb_array_length(COALESCE(body -> 'ritual_spread', '[]'::jsonb))),
        'computed_in_ms', body -> 'computed_in_ms',
        'created_at', body -> 'created_at')
 WHERE body IS NOT NULL;
