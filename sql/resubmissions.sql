-- Resubmissions: each report that replaces an earlier file of the same inspection, with the file
-- it supersedes, when each was received and signed last, in the order received.
SELECT later.inspection_id,
       later.enterprise,
       later.revision,
       earlier.file_sha256 AS earlier_file_sha256,
       earlier.file_name AS earlier_file_name,
       earlier.received_at AS earlier_received_at,
       later.file_sha256,
       later.file_name,
       later.received_at,
       later.verdict
FROM reports later
JOIN reports earlier ON earlier.file_sha256 = later.supersedes
ORDER BY later.inspection_id, later.revision;
