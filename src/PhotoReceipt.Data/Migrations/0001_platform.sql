-- Platform tables: users and sessions, the product snapshot, photos, orders and their timeline,
-- the job queue, the outbox and subscription grants. Immutable once landed: change by a new file.

CREATE TABLE users (
    id              uuid PRIMARY KEY,
    openid          text NOT NULL UNIQUE,
    unionid         text,
    -- WeChat's session_key, encrypted with the PII key (never sent to the client, never logged).
    session_key_enc bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash  bytea PRIMARY KEY,            -- SHA-256 of the opaque bearer token
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the wx.login code: a proxy retry with the same code gets a session for the same
    -- user instead of a 40029 from WeChat (a code is single-use).
    code_hash   bytea,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_code_idx ON sessions (code_hash) WHERE code_hash IS NOT NULL;
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- The catalog file is the source of truth; this table is its snapshot so that orders can refer
-- to products and keep the price they were sold at.
CREATE TABLE products (
    id               text PRIMARY KEY,
    name             text NOT NULL,
    document_type    text NOT NULL,
    region           text,
    spec_id          text NOT NULL,
    receipt_style    text,
    validity_days    integer NOT NULL,
    price_fen        integer NOT NULL CHECK (price_fen >= 0),
    catalog_version  text NOT NULL,
    active           boolean NOT NULL DEFAULT true,
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE photos (
    id                uuid PRIMARY KEY,
    user_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id        text NOT NULL REFERENCES products (id),
    spec_id           text NOT NULL,
    background        text,
    status            text NOT NULL CHECK (status IN ('processing', 'processed', 'failed')),
    source_key        text,          -- blob keys; null once deleted at the end of retention
    source_format     text NOT NULL,
    source_bytes      bigint NOT NULL,
    result_key        text,
    preview_key       text,
    report            jsonb,
    usable            boolean,
    created_at        timestamptz NOT NULL DEFAULT now(),
    processed_at      timestamptz,
    purged_at         timestamptz
);
CREATE INDEX photos_user_idx ON photos (user_id, created_at DESC);

CREATE SEQUENCE order_no_seq;

CREATE TABLE orders (
    id                   uuid PRIMARY KEY,
    order_no             text NOT NULL UNIQUE,
    user_id              uuid NOT NULL REFERENCES users (id),
    product_id           text NOT NULL REFERENCES products (id),
    photo_id             uuid NOT NULL REFERENCES photos (id),
    status               text NOT NULL,
    price_fen            integer NOT NULL,
    -- Personal data: AES-GCM ciphertext (key id inside and in pii_key_id for rotation), a keyed
    -- hash for look-ups, and masked forms that are safe to show and list.
    applicant_name_enc   bytea,
    applicant_id_enc     bytea,
    applicant_phone_enc  bytea,
    applicant_id_hash    bytea,
    applicant_phone_hash bytea,
    applicant_name_masked text,
    applicant_id_masked  text,
    applicant_phone_masked text,
    pii_key_id           text,
    consent_version      text NOT NULL,
    consent_at           timestamptz NOT NULL,
    idempotency_key      text NOT NULL,
    request_hash         bytea NOT NULL,
    image_number         text UNIQUE,
    paid_at              timestamptz,
    transaction_id       text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_list_idx ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_status_idx ON orders (status, updated_at);
CREATE INDEX orders_id_hash_idx ON orders (applicant_id_hash);
CREATE INDEX orders_phone_hash_idx ON orders (applicant_phone_hash);

CREATE TABLE order_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    from_status text,
    to_status   text NOT NULL,
    actor       text NOT NULL,           -- user, system, worker, staff:<name>, wechat
    note        text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_events_order_idx ON order_events (order_id, id);

CREATE TABLE jobs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL,
    payload       jsonb NOT NULL,
    status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'dead')),
    attempts      integer NOT NULL DEFAULT 0,
    max_attempts  integer NOT NULL,
    run_at        timestamptz NOT NULL DEFAULT now(),
    lease_until   timestamptz,
    locked_by     text,
    last_error    text,
    -- Set for jobs that must exist at most once (e.g. "process photo X").
    dedupe_key    text UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
-- The claim query reads due queued jobs and expired leases in run_at order.
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE status IN ('queued', 'running');

CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text NOT NULL,
    order_id     uuid REFERENCES orders (id) ON DELETE SET NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    dispatched_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE dispatched_at IS NULL;

-- One-time subscribe-message grants: each "accept" in wx.requestSubscribeMessage allows one send.
CREATE TABLE subscription_grants (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id  text NOT NULL,
    remaining    integer NOT NULL CHECK (remaining >= 0),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, template_id)
);
