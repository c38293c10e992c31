-- Service notices (subscribe messages): one row per outbox notice, the record that makes "no notice is
-- ever sent twice" hold. Immutable once landed: change by a new file.
--
-- state: pending   dispatched, not yet (or no longer) being sent
--        sending   committed right before the call to WeChat; a row found still 'sending' by a later run
--                  means a worker stopped between the send and the mark, so WeChat may have delivered it
--        sent      WeChat accepted it
--        no_grant  the user holds no unused one-time grant (ours said so, or WeChat's 43101)
--        failed    WeChat refused the message itself (bad template, page, values): retrying cannot help
--        uncertain found 'sending' by a later run: possibly delivered, never resent automatically; support decides
CREATE TABLE notices (
    outbox_id      bigint PRIMARY KEY REFERENCES outbox (id) ON DELETE CASCADE,
    kind           text NOT NULL,
    order_id       uuid REFERENCES orders (id) ON DELETE SET NULL,
    user_id        uuid REFERENCES users (id) ON DELETE SET NULL,
    template_id    text NOT NULL,
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'no_grant', 'failed', 'uncertain')),
    -- One grant per notice, taken with the first move to 'sending' and kept across transient retries
    -- (WeChat uses a one-time grant only for a message it delivers).
    grant_taken    boolean NOT NULL DEFAULT false,
    attempts       integer NOT NULL DEFAULT 0,
    data           jsonb,                 -- the keyword values sent
    errcode        integer,
    errmsg         text,
    sending_since  timestamptz,
    sent_at        timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_order_idx ON notices (order_id);
-- Support's list of notices that need a person: possibly delivered, or refused by WeChat.
CREATE INDEX notices_attention_idx ON notices (updated_at) WHERE state IN ('uncertain', 'failed');
