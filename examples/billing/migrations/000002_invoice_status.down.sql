ALTER TABLE invoices DROP CONSTRAINT invoices_amount_positive;
ALTER TABLE invoices DROP COLUMN status;
