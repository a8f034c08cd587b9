-- Overdue hazards: not 已销号 and past their rectification deadline (五定 期限) today, in current
-- reports, the longest overdue first. For another day than today replace current_date.
SELECT r.credit_code,
       r.enterprise,
       r.inspection_id,
       h.hazard_id,
       h.level,
       h.status,
       h.deadline,
       current_date - h.deadline AS days_overdue,
       h.responsible
FROM current_reports r
JOIN hazards h USING (file_sha256)
WHERE h.status <> '已销号' AND h.deadline < current_date
ORDER BY days_overdue DESC, r.credit_code, h.hazard_id;
