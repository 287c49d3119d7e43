-- Django's own tables (users, sessions) live in the webapp database, owned by frontend and outside the zero-ETL
-- filter (include: <metrics database>.*.*). CREATE DATABASE cannot run in a transaction: every statement here is
-- idempotent by itself. PostgreSQL 16+ requires membership in the owner role to create a database for it.
GRANT frontend TO CURRENT_USER;
SELECT 'CREATE DATABASE webapp OWNER frontend' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'webapp')\gexec
REVOKE CONNECT ON DATABASE webapp FROM PUBLIC;
GRANT CONNECT ON DATABASE webapp TO frontend;
