-- Row level security and policies.
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE orders FORCE ROW LEVEL SECURITY;
ALTER TABLE orders NO FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders AS RESTRICTIVE FOR ALL TO app_user
  USING (tenant_id = current_setting('app.tenant_id')::uuid)
  WITH CHECK (tenant_id = current_setting('app.tenant_id')::uuid);
ALTER POLICY tenant_isolation ON orders RENAME TO orders_tenant;
DROP POLICY IF EXISTS orders_tenant ON orders;
ALTER ROLE app_admin BYPASSRLS;
