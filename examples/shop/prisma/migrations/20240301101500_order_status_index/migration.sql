-- Hand-edited: CONCURRENTLY cannot run here, Prisma wraps migration.sql in a transaction.
CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");

-- Blocks writes to customers while the index builds.
CREATE INDEX "customers_email_idx" ON "customers"("email");
