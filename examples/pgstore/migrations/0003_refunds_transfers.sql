-- Refund and transfer orders, kept like pay and allocation orders: the
-- schedule beside the state, a partial index of the scheduled ones in due
-- order for claims, numbers collated as bytes ("C") so due order breaks ties
-- as Go compares strings.
--
-- A refund's order_no names its pay order. There is no foreign key: the
-- store creates a refund only in the transaction that compare-and-swaps that
-- pay order's version, which proves the pay order exists, and a pay order is
-- never deleted.

CREATE TABLE refund_orders (
	refund_no     text COLLATE "C" PRIMARY KEY,
	biz_refund_no text COLLATE "C" NOT NULL UNIQUE,
	out_refund_no text NOT NULL,
	order_no      text COLLATE "C" NOT NULL,
	channel       text NOT NULL,
	amount        numeric NOT NULL,
	currency      text NOT NULL,
	reason        text NOT NULL,
	status        text NOT NULL,
	watched       boolean NOT NULL,
	finished_at   timestamptz,
	error_code    text NOT NULL,
	error_msg     text NOT NULL,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz,
	version       bigint NOT NULL,
	in_schedule   boolean NOT NULL,
	next_sync_at  timestamptz,
	attempts      bigint NOT NULL,
	exhausted     boolean NOT NULL,
	lease_owner   text,
	lease_until   timestamptz,
	CHECK (NOT in_schedule OR next_sync_at IS NOT NULL)
) WITH (fillfactor = 80);

CREATE INDEX refund_orders_due ON refund_orders (next_sync_at, refund_no) WHERE in_schedule;
-- ListRefundOrders: a pay order's refunds in creation order.
CREATE INDEX refund_orders_pay ON refund_orders (order_no, created_at, refund_no);

CREATE TABLE transfer_orders (
	transfer_no     text COLLATE "C" PRIMARY KEY,
	biz_transfer_no text COLLATE "C" NOT NULL UNIQUE,
	out_transfer_no text NOT NULL,
	channel         text NOT NULL,
	amount          numeric NOT NULL,
	currency        text NOT NULL,
	payee_type      text NOT NULL,
	payee_account   text NOT NULL,
	payee_name      text NOT NULL,
	reason          text NOT NULL,
	status          text NOT NULL,
	finished_at     timestamptz,
	error_code      text NOT NULL,
	error_msg       text NOT NULL,
	created_at      timestamptz NOT NULL,
	updated_at      timestamptz,
	version         bigint NOT NULL,
	in_schedule     boolean NOT NULL,
	next_sync_at    timestamptz,
	attempts        bigint NOT NULL,
	exhausted       boolean NOT NULL,
	lease_owner     text,
	lease_until     timestamptz,
	CHECK (NOT in_schedule OR next_sync_at IS NOT NULL)
) WITH (fillfactor = 80);

CREATE INDEX transfer_orders_due ON transfer_orders (next_sync_at, transfer_no) WHERE in_schedule;

-- ListAllocationOrders: a pay order's allocations in creation order.
CREATE INDEX allocation_orders_pay ON allocation_orders (order_no, created_at, allocation_no);
