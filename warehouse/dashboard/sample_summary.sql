-- dashboard.sample_summary: one row per sample of an analysis (the dashboard's main table).
SELECT m.tenant_id, m.analysis_id, m.sample_id,
       COUNT(DISTINCT m.protein_id) AS proteins_identified,
       SUM(m.peptide_count)         AS peptides,
       SUM(m.spectral_count)        AS spectra,
       AVG(m.q_value)               AS mean_q_value,
       MAX(m.computed_at)           AS computed_at
FROM metrics_zeroetl.public.protein_metrics m
GROUP BY m.tenant_id, m.analysis_id, m.sample_id
