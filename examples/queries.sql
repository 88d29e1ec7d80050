-- Place the cursor in a query and run "pgvet: Explain Analyze".
SELECT o.id, o.total, c.email
FROM orders o
JOIN customers c ON c.id = o.customer_id
WHERE o.status = 'shipped' AND o.tenant_id = '00000000-0000-0000-0000-000000000001'
ORDER BY o.created_at DESC
LIMIT 20;

SELECT a.email, count(*) AS invoices, sum(i.amount_minor) AS billed
FROM accounts a
JOIN invoices i ON i.account_id = a.id
GROUP BY a.email
ORDER BY billed DESC;

-- Orders of one customer by email: no index on customer_email, so the panel suggests one.
SELECT id, status, total
FROM orders
WHERE customer_email = 'c42@example.com';
