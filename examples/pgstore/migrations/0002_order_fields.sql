-- The fields the refund, allocation and repair ports added to existing rows.
-- Every new column has a constant default, so adding it rewrites no row.
--
-- created_at becomes NOT NULL: listings page by (created_at, number) with a
-- row comparison, which a NULL would turn into "unknown". 0001 stored a zero
-- CreatedAt as NULL; it is stored as 0001-01-01 UTC instead, which reads back
-- as the same zero time.Time, so no value changes.

ALTER TABLE pay_orders
	ADD COLUMN refunded_amount numeric NOT NULL DEFAULT 0,
	ADD COLUMN reserved_amount numeric NOT NULL DEFAULT 0;

ALTER TABLE allocation_orders
	ADD COLUMN currency text NOT NULL DEFAULT '';

ALTER TABLE adjust_records
	ADD COLUMN operator text NOT NULL DEFAULT '',
	ADD COLUMN reason   text NOT NULL DEFAULT '';

UPDATE pay_orders SET created_at = '0001-01-01 00:00:00+00' WHERE created_at IS NULL;
ALTER TABLE pay_orders ALTER COLUMN created_at SET NOT NULL;

UPDATE allocation_orders SET created_at = '0001-01-01 00:00:00+00' WHERE created_at IS NULL;
ALTER TABLE allocation_orders ALTER COLUMN created_at SET NOT NULL;
