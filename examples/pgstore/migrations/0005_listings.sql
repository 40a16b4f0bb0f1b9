-- The indexes the console's listings walk, so a page reads about as many
-- index entries as it shows, however many orders are stored:
--   ByStatus:    (status, created_at DESC, number DESC)
--   ByExhausted: (created_at DESC, number DESC) of exhausted orders only
--   ByDue:       the due indexes the claims use.
--
-- Migrate runs in one transaction, so these are built without CONCURRENTLY
-- and lock their table against writes while they build. On a large store,
-- build them first with CREATE INDEX CONCURRENTLY under the same names:
-- IF NOT EXISTS then passes over them.

CREATE INDEX IF NOT EXISTS pay_orders_status ON pay_orders (status, created_at DESC, order_no DESC);
CREATE INDEX IF NOT EXISTS pay_orders_exhausted ON pay_orders (created_at DESC, order_no DESC)
	WHERE exhausted;

CREATE INDEX IF NOT EXISTS allocation_orders_status
	ON allocation_orders (status, created_at DESC, allocation_no DESC);
CREATE INDEX IF NOT EXISTS allocation_orders_exhausted
	ON allocation_orders (created_at DESC, allocation_no DESC) WHERE exhausted;

CREATE INDEX IF NOT EXISTS refund_orders_status ON refund_orders (status, created_at DESC, refund_no DESC);
CREATE INDEX IF NOT EXISTS refund_orders_exhausted ON refund_orders (created_at DESC, refund_no DESC)
	WHERE exhausted;

CREATE INDEX IF NOT EXISTS transfer_orders_status
	ON transfer_orders (status, created_at DESC, transfer_no DESC);
CREATE INDEX IF NOT EXISTS transfer_orders_exhausted
	ON transfer_orders (created_at DESC, transfer_no DESC) WHERE exhausted;
