ALTER TABLE invoices RENAME COLUMN amount_cents TO amount_minor;
