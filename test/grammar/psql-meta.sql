-- psql meta-commands and variables.
\set ON_ERROR_STOP on
\set tenant '00000000-0000-0000-0000-000000000001'
\i migrations/001_init.sql
SELECT * FROM orders WHERE tenant_id = :'tenant' LIMIT :limit \gx
\echo done
