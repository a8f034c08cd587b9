-- Grades by sector and month: the number of current reports per grade. `grade` is the JGJ 59
-- grade (优良 / 合格 / 不合格) of construction reports; other sectors have none (their result is
-- the sector's 判定标准) and are counted as 无等级, as are reports whose scoring is incomplete.
SELECT r.sector,
       r.month,
       coalesce(r.grade, '无等级') AS grade,
       count(*) AS reports
FROM current_reports r
WHERE r.inspection_id IS NOT NULL
GROUP BY ALL
ORDER BY r.sector, r.month, grade;
