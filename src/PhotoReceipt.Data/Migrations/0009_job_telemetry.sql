-- The W3C traceparent of whatever enqueued a job (an API request, another job), so the job's
-- trace continues it: upload → process photo, pay → submit → decide → issue → notice.
ALTER TABLE jobs ADD COLUMN trace_parent text;

-- The queue gauges count open jobs per kind and state every few seconds; finished jobs are kept
-- a week and would otherwise be scanned each time.
CREATE INDEX jobs_open_idx ON jobs (kind, status) WHERE status IN ('queued', 'running', 'dead');
