-- The application's database users. They authenticate with IAM only (rds_iam, no password): the proxy checks the
-- IAM token and connects them end to end. The list matches data.postgres.iamDatabaseUsers (a test compares them).
DO $$
DECLARE
  user_name text;
BEGIN
  FOREACH user_name IN ARRAY ARRAY['api', 'metrics_writer', 'frontend'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = user_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', user_name);
    END IF;
    EXECUTE format('GRANT rds_iam TO %I', user_name);
  END LOOP;
END
$$;

-- Only the metrics users connect to the metrics database (this one); the front-end has its own (0002).
DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO api, metrics_writer', current_database());
END
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
