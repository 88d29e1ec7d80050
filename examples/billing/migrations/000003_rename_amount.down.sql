ALTER TABLE invoices RENAME COLUMN amount_minor TO amount_cents;
