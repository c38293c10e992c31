-- The photo center and the staff console: staff accounts, submissions to the center, review claims
-- and decisions (with the rejection reasons users see), decision callbacks already applied, and the
-- audit log of staff look-ups and actions. Immutable once landed: change by a new file.

CREATE TABLE staff_users (
    id              uuid PRIMARY KEY,
    username        text NOT NULL UNIQUE,
    -- ASP.NET Core Identity v3 format (PBKDF2-HMAC-SHA512, 100 000 iterations, per-user salt).
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('reviewer', 'support', 'admin')),
    failed_attempts integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per time an order went to the photo center; attempt 1 is the first submission, each
-- retake adds one. A decision names the attempt it decides, so a late answer about an old photo
-- cannot decide the new one.
CREATE TABLE center_submissions (
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    attempt      integer NOT NULL CHECK (attempt >= 1),
    photo_id     uuid NOT NULL REFERENCES photos (id),
    center       text NOT NULL CHECK (center IN ('review_desk', 'simulator', 'http')),
    center_ref   text,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (order_id, attempt)
);
-- The review queue: submissions waiting at the review desk, oldest first.
CREATE INDEX center_submissions_desk_idx ON center_submissions (submitted_at) WHERE center = 'review_desk';

-- A reviewer's claim on an order while deciding it. The lease lets another reviewer take over an
-- order that someone opened and walked away from; the order's own compare-and-set is the final word.
CREATE TABLE review_claims (
    order_id     uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    staff_id     uuid NOT NULL REFERENCES staff_users (id),
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    lease_until  timestamptz NOT NULL
);

-- Who decided what. Reason codes and the note of a rejection are what the user is shown.
CREATE TABLE review_decisions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    decision     text NOT NULL CHECK (decision IN ('approved', 'rejected')),
    reason_codes text[] NOT NULL DEFAULT '{}',
    note         text,
    image_number text,
    decided_by   text NOT NULL,           -- staff:<name>, simulator, center
    staff_id     uuid REFERENCES staff_users (id),
    decided_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, attempt)
);

-- Decision ids an external center has already delivered: a replayed callback is refused.
CREATE TABLE center_callbacks (
    decision_id  text PRIMARY KEY,
    order_id     uuid NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- Every support look-up and every staff action. The query itself is not stored (it may be an ID
-- number or a phone number); its kind is.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id    uuid REFERENCES staff_users (id),
    staff_name  text NOT NULL,
    action      text NOT NULL,
    target      text,
    query_kind  text,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);

-- Support's order page lists the order's jobs and its photo's jobs by payload.
CREATE INDEX jobs_order_payload_idx ON jobs ((payload->>'orderId')) WHERE payload ? 'orderId';
CREATE INDEX jobs_photo_payload_idx ON jobs ((payload->>'photoId')) WHERE payload ? 'photoId';
