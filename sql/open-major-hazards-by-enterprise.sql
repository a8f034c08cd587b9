-- Which enterprises have open 重大事故隐患: per enterprise, the 重大 hazards not 已销号 in its
-- current reports (not superseded), most first. One row per enterprise (credit code).
SELECT r.credit_code,
       any_value(r.enterprise) AS enterprise,
       count(*) AS major_open,
       string_agg(h.hazard_id, ', ' ORDER BY h.hazard_id) AS hazard_ids
FROM current_reports r
JOIN hazards h USING (file_sha256)
WHERE h.level = '重大' AND h.status <> '已销号'
GROUP BY r.credit_code
ORDER BY major_open DESC, r.credit_code;
