-- Anomalies move out of the orders' "announced" columns into a table of their
-- own, one row per (trade_type, trade_no, code), so that seeing one again
-- never touches the order's row or version. resolved_at is NULL while the
-- anomaly is open. Text that orders a listing collates as bytes ("C").

CREATE TABLE anomalies (
	trade_type    text COLLATE "C" NOT NULL,
	trade_no      text COLLATE "C" NOT NULL,
	code          text COLLATE "C" NOT NULL,
	first_seen_at timestamptz NOT NULL,
	opened_at     timestamptz NOT NULL,
	last_seen_at  timestamptz NOT NULL,
	times_seen    bigint NOT NULL,
	resolved_at   timestamptz,
	resolved_by   text NOT NULL DEFAULT '',
	note          text NOT NULL DEFAULT '',
	PRIMARY KEY (trade_type, trade_no, code)
);

-- ListOpenAnomalies, oldest first. A page of one kind walks the same index
-- and passes over the other kinds' entries inside it: open anomalies are
-- few (people resolve them), and a second index led by trade_type would tax
-- every opening and resolution while the planner, seeing opened_at follow
-- the table's insertion order, would rarely choose it.
CREATE INDEX anomalies_open ON anomalies (opened_at, trade_type, trade_no, code)
	WHERE resolved_at IS NULL;

-- Every code an order announced becomes an open anomaly. It was announced
-- already, so it is stored open: the next sighting of it is "seen again",
-- not an opening, and announces nothing. 0001 kept no sighting times; the
-- order's last change is the best known, and 0001-01-01 UTC (the zero time)
-- when it has none.
INSERT INTO anomalies (trade_type, trade_no, code, first_seen_at, opened_at, last_seen_at, times_seen)
SELECT DISTINCT 'pay', o.order_no, c.code, t.at, t.at, t.at, 1
FROM pay_orders o
	CROSS JOIN LATERAL unnest(o.announced) AS c(code)
	CROSS JOIN LATERAL (SELECT coalesce(o.updated_at, o.created_at, '0001-01-01 00:00:00+00')) AS t(at)
WHERE c.code IS NOT NULL;

INSERT INTO anomalies (trade_type, trade_no, code, first_seen_at, opened_at, last_seen_at, times_seen)
SELECT DISTINCT 'allocation', o.allocation_no, c.code, t.at, t.at, t.at, 1
FROM allocation_orders o
	CROSS JOIN LATERAL unnest(o.announced) AS c(code)
	CROSS JOIN LATERAL (SELECT coalesce(o.updated_at, o.created_at, '0001-01-01 00:00:00+00')) AS t(at)
WHERE c.code IS NOT NULL;

ALTER TABLE pay_orders DROP COLUMN announced;
ALTER TABLE allocation_orders DROP COLUMN announced;
