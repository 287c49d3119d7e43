-- The metrics contract between the analysis jobs (metrics_writer), the API (api) and, through zero-ETL, the
-- dashboard (docs/architecture.md, "The metrics contract"). Every table has a primary key and only types zero-ETL
-- replicates: zero-ETL skips a table without one.

-- One row per analysis: written by the API when it starts the execution, finished by the publish-metrics job.
CREATE TABLE analyses (
  analysis_id  uuid PRIMARY KEY,
  tenant_id    text NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9]{1,64}$'),
  status       text NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED')),
  submitted_at timestamptz NOT NULL,
  finished_at  timestamptz,
  CHECK (finished_at IS NULL OR finished_at >= submitted_at)
);
CREATE INDEX analyses_tenant_submitted ON analyses (tenant_id, submitted_at);

-- One row per protein identified in one file of one sample: written by the publish-metrics job.
CREATE TABLE protein_metrics (
  analysis_id    uuid NOT NULL REFERENCES analyses,
  tenant_id      text NOT NULL,
  sample_id      text NOT NULL,
  protein_file   text NOT NULL,
  protein_id     text NOT NULL,
  peptide_count  integer NOT NULL CHECK (peptide_count >= 0),
  spectral_count integer NOT NULL CHECK (spectral_count >= 0),
  intensity      double precision CHECK (intensity >= 0),
  q_value        double precision CHECK (q_value BETWEEN 0 AND 1),
  computed_at    timestamptz NOT NULL,
  PRIMARY KEY (analysis_id, sample_id, protein_file, protein_id)
);
CREATE INDEX protein_metrics_tenant ON protein_metrics (tenant_id, analysis_id);

-- The API records and follows analyses and reads their metrics; the jobs write both; nobody deletes.
GRANT SELECT, INSERT, UPDATE ON analyses TO api;
GRANT SELECT ON protein_metrics TO api;
GRANT SELECT, INSERT, UPDATE ON analyses, protein_metrics TO metrics_writer;
