-- dashboard.tenant_activity: analyses submitted and succeeded per tenant and day.
SELECT a.tenant_id, DATE_TRUNC('day', a.submitted_at) AS day,
       COUNT(*) AS analyses,
       SUM(CASE WHEN a.status = 'SUCCEEDED' THEN 1 ELSE 0 END) AS succeeded
FROM metrics_zeroetl.public.analyses a
GROUP BY a.tenant_id, DATE_TRUNC('day', a.submitted_at)
