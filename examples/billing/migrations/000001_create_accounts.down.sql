DROP TABLE invoices;
DROP TABLE accounts;
