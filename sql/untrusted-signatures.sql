-- Signatures whose certificate is not in the trust list: `trusted` is false when the register was
-- written with `--trust` and the fingerprint is not on it, empty (not-checked) when no list was
-- given. Per signature: who, for which enterprise, and the certificate to register or refuse.
SELECT r.credit_code,
       r.enterprise,
       r.inspection_id,
       s.signer,
       s.organisation,
       s.role,
       s.signed_at,
       s.cert_sha256,
       CASE WHEN s.trusted IS NULL THEN 'not-checked' ELSE 'unknown' END AS trust
FROM current_reports r
JOIN signatures s USING (file_sha256)
WHERE s.trusted IS DISTINCT FROM true
ORDER BY r.credit_code, r.inspection_id, s.signed_at;
