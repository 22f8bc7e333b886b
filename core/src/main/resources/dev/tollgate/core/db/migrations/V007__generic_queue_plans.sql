-- Tollgate run queue, version 7: the claim and the completion stop planning their statement on
-- every call.
--
-- claim_runs and complete_runs are PL/pgSQL, so their statement is prepared once per session and
-- PostgreSQL chooses between a custom plan (re-planned on every call with the call's values) and the
-- cached generic plan by comparing their estimated costs. The arrays passed in (one run, one lane)
-- make every custom plan look cheaper than the generic one, which assumes ten elements, so the
-- statement was planned afresh on every call: profiled with pg_stat_statements, a one-run
-- completion spent about 0.6 ms planning against 0.36 ms executing. The generic plans read the same
-- indexes (QueuePlanTest checks both kinds), so these two functions now always use them. Nothing
-- else changes: same arguments, same results, same locks, same events.
ALTER FUNCTION ${schema}.claim_runs(text, text[], integer)
  SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION ${schema}.complete_runs(text, bigint[], integer[], text[], text[])
  SET plan_cache_mode = force_generic_plan;
