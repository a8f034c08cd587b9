-- Sites told to stop work: current reports whose re-scored inspection fired a stop-work trigger,
-- with the checklist's words of why, latest inspection first.
SELECT r.credit_code,
       r.enterprise,
       r.project,
       r.sector,
       r.inspection_id,
       r.inspection_date,
       r.stop_work_reasons
FROM current_reports r
WHERE r.stop_work
ORDER BY r.inspection_date DESC, r.credit_code, r.inspection_id;
