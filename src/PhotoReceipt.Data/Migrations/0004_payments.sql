-- Payments and refunds on orders.
ALTER TABLE orders
    ADD COLUMN paid_fen        integer,
    ADD COLUMN refund_no       text UNIQUE,        -- out_refund_no: one per order, reused on every retry
    ADD COLUMN refund_status   text,               -- requested, processing, succeeded, closed, abnormal
    ADD COLUMN refunded_at     timestamptz;
CREATE INDEX orders_unpaid_idx ON orders (created_at) WHERE status = 'awaiting_payment';
