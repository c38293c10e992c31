-- What an approved order delivers, and the bookkeeping of its validity and retention. Immutable
-- once landed: change by a new file.

-- One row per approved order, written once by the receipt.issue job (a retried job renders again
-- and finds the row there). Photo-only products deliver the e-photo alone: style, png_key and
-- pdf_key are null for them.
CREATE TABLE receipts (
    order_id          uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    style             text,
    image_number      text NOT NULL,
    issued_at         timestamptz NOT NULL DEFAULT now(),
    -- The last day the receipt is valid, as printed on it (China Standard Time): it expires when
    -- that day has ended in China, whatever the server's time zone.
    valid_until       date NOT NULL,
    png_key           text,
    pdf_key           text,
    -- The standardized photo (the photo's own blob); the e-photo download.
    photo_key         text,
    expired_at        timestamptz,
    -- Set with the outbox row notice.expiring, in one transaction, so the reminder is written once.
    expiry_notice_at  timestamptz,
    -- Blobs deleted and the order's personal data cleared at the end of retention.
    purged_at         timestamptz
);
-- The validity job scans receipts that still hold something to expire, remind or delete.
CREATE INDEX receipts_validity_idx ON receipts (valid_until) WHERE purged_at IS NULL;

ALTER TABLE orders
    -- upload_shipping_info accepted by WeChat for this paid order (reported once).
    ADD COLUMN delivery_reported_at timestamptz,
    -- Personal data columns cleared at the end of retention.
    ADD COLUMN pii_purged_at        timestamptz;

-- Orders approved before this migration have no issue job (approval enqueues it from now on):
-- queue one each, under the same dedupe key the approval uses.
INSERT INTO jobs (kind, payload, max_attempts, dedupe_key)
SELECT 'receipt.issue', jsonb_build_object('orderId', id), 8, 'receipt.issue:' || id
FROM orders WHERE status = 'approved'
ON CONFLICT (dedupe_key) DO NOTHING;
