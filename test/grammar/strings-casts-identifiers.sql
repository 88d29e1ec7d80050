-- E'' strings, standard strings, casts, quoted identifiers, operators.
SELECT E'line\nbreak \x41 \' quote', 'C:\path', 'it''s', U&'d\0061t\+000061', B'1010', X'1F';
SELECT id::text, created_at::timestamp with time zone, tags::text[], amount::numeric(12, 2), x::public.money_t;
SELECT "Order"."Total Amount", "say ""hi""" FROM "Order";
SELECT doc->>'name', doc #>> '{a,b}', doc @> '{"a":1}', 7 / 2, 5 # 3 FROM docs WHERE id = $1;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_tenant_id_idx ON orders (tenant_id) INCLUDE (status);
ALTER TABLE orders ADD CONSTRAINT orders_tenant_fk FOREIGN KEY (tenant_id) REFERENCES tenants (id) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_tenant_fk;
