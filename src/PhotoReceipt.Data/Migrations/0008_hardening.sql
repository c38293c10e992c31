-- Issue 10 (hardening): server-side console sessions, sign-in throttling per (name, client), the
-- message-push replay memory and support alerts.

-- A console session lives here, not in the cookie: the cookie carries a random key whose SHA-256 is
-- id_hash. Deleting the row ends the session at once (logout, password or role change, lock).
CREATE TABLE staff_sessions (
    id_hash       bytea PRIMARY KEY,
    staff_id      uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    ticket        bytea NOT NULL,
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL          -- absolute end, whatever the activity
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Failed sign-ins per submitted name (known or not) and client address. A name is locked only for
-- the address that guessed, with a lock that doubles each time, so nobody can lock staff out from
-- elsewhere and the answer does not tell real names from made-up ones.
CREATE TABLE staff_login_failures (
    username      text NOT NULL,
    client        text NOT NULL,
    failures      integer NOT NULL DEFAULT 0,
    lockouts      integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (username, client)
);

-- (timestamp, nonce) of every message-push delivery within the timestamp window, with the body's
-- hash: a repeat with the same body is WeChat's retry, with another body a forgery.
CREATE TABLE wechat_push_nonces (
    timestamp     bigint NOT NULL,
    nonce         text NOT NULL,
    body_hash     bytea NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (timestamp, nonce)
);

-- What support must look at (e.g. a photo-center decision that reused another order's image number).
CREATE TABLE support_alerts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id      uuid REFERENCES orders (id),
    kind          text NOT NULL,
    message       text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz
);
CREATE INDEX support_alerts_open ON support_alerts (created_at) WHERE resolved_at IS NULL;
