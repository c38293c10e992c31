-- WeChat platform tables (issue 5). Runs once, inside a transaction, after 0001.

-- Access tokens shared by every process; refreshed under pg_advisory_xact_lock per app_id.
-- WeChat says to store at least 512 characters, so the column is unbounded text.
CREATE TABLE wechat_access_tokens (
    app_id        text        PRIMARY KEY,
    access_token  text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    refreshed_at  timestamptz NOT NULL DEFAULT now()
);

-- Message-push de-duplication: WeChat retries after ~5 s, so every push is claimed once by
-- MsgId, or FromUserName + CreateTime for events (which have no MsgId).
CREATE TABLE wechat_push_messages (
    dedupe_key    text        PRIMARY KEY,
    msg_type      text        NOT NULL,
    event         text,
    from_open_id  text,
    received_at   timestamptz NOT NULL DEFAULT now()
);

-- Sandbox mode (no AppId): subscribe and customer-service messages recorded instead of sent,
-- so the staff console can show what a user would have received.
CREATE TABLE wechat_sandbox_messages (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('subscribe', 'customer_service')),
    to_open_id    text        NOT NULL,
    template_id   text,
    msg_type      text,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wechat_sandbox_messages_to_open_id ON wechat_sandbox_messages (to_open_id, created_at DESC);

-- Customer-service conversation, both directions, for the support console.
CREATE TABLE wechat_cs_messages (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    open_id       text        NOT NULL,
    direction     text        NOT NULL CHECK (direction IN ('in', 'out')),
    msg_type      text        NOT NULL,
    content       text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX wechat_cs_messages_open_id ON wechat_cs_messages (open_id, created_at DESC);

-- media_check_async trace ids: the wxa_media_check event names only the trace_id, not the URL.
CREATE TABLE wechat_media_checks (
    trace_id      text        PRIMARY KEY,
    photo_id      uuid        NOT NULL,
    requested_at  timestamptz NOT NULL DEFAULT now(),
    suggest       text,
    label         integer,
    errcode       integer,
    checked_at    timestamptz
);
CREATE INDEX wechat_media_checks_photo_id ON wechat_media_checks (photo_id);

-- WeChat Pay notices already accepted, by notice id: retries of one notice carry the same id.
CREATE TABLE wechat_pay_notices (
    notice_id     text        PRIMARY KEY,
    event_type    text        NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);

-- Signed (timestamp, nonce) pairs already seen: a byte-for-byte replay of a notice is refused.
CREATE TABLE wechat_pay_notice_nonces (
    timestamp_s   bigint      NOT NULL,
    nonce         text        NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (timestamp_s, nonce)
);

-- prepay_id per out_trade_no (valid 2 h at WeChat): a retried payment call re-signs the same prepay
-- instead of placing the order again, even when the caller's retry differs in time_expire.
CREATE TABLE wechat_prepay_ids (
    out_trade_no   text        PRIMARY KEY,
    prepay_id      text        NOT NULL,
    amount_fen     integer     NOT NULL,
    payer_open_id  text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
