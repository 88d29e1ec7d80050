ALTER TABLE invoices ADD COLUMN status text;
UPDATE invoices SET status = 'open' WHERE status IS NULL;
-- Scans the whole table under an ACCESS EXCLUSIVE lock.
ALTER TABLE invoices ALTER COLUMN status SET NOT NULL;

-- Validates every existing row while holding the lock.
ALTER TABLE invoices ADD CONSTRAINT invoices_amount_positive CHECK (amount_cents > 0);

DROP INDEX invoices_account_id_idx;
CREATE INDEX invoices_account_id_issued_at_idx ON invoices (account_id, issued_at);
