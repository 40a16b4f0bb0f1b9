-- Orders keep the schedule beside their state so a commit is one row update.
-- A due order is in_schedule with next_sync_at <= now; the partial index holds
-- only scheduled orders, in due order, so a claim reads Limit entries of it
-- (plus those leased to someone else) however many orders are stored.
-- fillfactor leaves room on each page so lease updates (no indexed column)
-- can stay HOT. Order numbers collate as bytes ("C"), whatever the
-- database's locale: due order breaks ties by number, and it must be the
-- order Go's string comparison gives.

CREATE TABLE pay_orders (
	order_no      text COLLATE "C" PRIMARY KEY,
	biz_order_no  text COLLATE "C" NOT NULL UNIQUE,
	out_order_no  text NOT NULL,
	channel       text NOT NULL,
	amount        numeric NOT NULL,
	currency      text NOT NULL,
	status        text NOT NULL,
	refund_status text NOT NULL,
	expired_at    timestamptz,
	paid_at       timestamptz,
	closed_at     timestamptz,
	created_at    timestamptz,
	updated_at    timestamptz,
	version       bigint NOT NULL,
	announced     text[],
	in_schedule   boolean NOT NULL,
	next_sync_at  timestamptz,
	attempts      bigint NOT NULL,
	exhausted     boolean NOT NULL,
	lease_owner   text,
	lease_until   timestamptz,
	CHECK (NOT in_schedule OR next_sync_at IS NOT NULL)
) WITH (fillfactor = 80);

CREATE INDEX pay_orders_due ON pay_orders (next_sync_at, order_no) WHERE in_schedule;

CREATE TABLE allocation_orders (
	allocation_no     text COLLATE "C" PRIMARY KEY,
	biz_allocation_no text COLLATE "C" NOT NULL UNIQUE,
	out_allocation_no text NOT NULL,
	order_no          text NOT NULL,
	out_order_no      text NOT NULL,
	channel           text NOT NULL,
	amount            numeric NOT NULL,
	status            text NOT NULL,
	result            text NOT NULL,
	receivers         jsonb,
	finished_at       timestamptz,
	created_at        timestamptz,
	updated_at        timestamptz,
	version           bigint NOT NULL,
	announced         text[],
	in_schedule       boolean NOT NULL,
	next_sync_at      timestamptz,
	attempts          bigint NOT NULL,
	exhausted         boolean NOT NULL,
	lease_owner       text,
	lease_until       timestamptz,
	CHECK (NOT in_schedule OR next_sync_at IS NOT NULL)
) WITH (fillfactor = 80);

CREATE INDEX allocation_orders_due ON allocation_orders (next_sync_at, allocation_no) WHERE in_schedule;

-- Records and events are append-only; seq gives the order they were stored in.

CREATE TABLE sync_records (
	seq           bigserial PRIMARY KEY,
	id            uuid NOT NULL UNIQUE,
	trade_type    text NOT NULL,
	trade_no      text NOT NULL,
	biz_no        text NOT NULL,
	out_no        text NOT NULL,
	channel       text NOT NULL,
	channel_state text NOT NULL,
	raw           bytea,
	adjusted      boolean NOT NULL,
	adjust_no     text NOT NULL,
	anomalies     text[],
	error_code    text NOT NULL,
	error_msg     text NOT NULL,
	client_ip     text NOT NULL,
	source        text NOT NULL,
	created_at    timestamptz
);

CREATE INDEX sync_records_trade ON sync_records (trade_no, seq);

CREATE TABLE adjust_records (
	seq        bigserial PRIMARY KEY,
	adjust_no  text NOT NULL UNIQUE,
	trade_type text NOT NULL,
	trade_no   text NOT NULL,
	source     text NOT NULL,
	way        text NOT NULL,
	before     text NOT NULL,
	after      text NOT NULL,
	created_at timestamptz,
	receiver_no text NOT NULL DEFAULT ''
);

CREATE INDEX adjust_records_trade ON adjust_records (trade_no, seq);

CREATE TABLE events (
	seq          bigserial PRIMARY KEY,
	id           uuid NOT NULL UNIQUE,
	type         text NOT NULL,
	trade_type   text NOT NULL,
	trade_no     text NOT NULL,
	payload      bytea,
	created_at   timestamptz,
	delivered_at timestamptz
);

CREATE INDEX events_trade ON events (trade_no, seq);
CREATE INDEX events_undelivered ON events (seq) WHERE delivered_at IS NULL;
