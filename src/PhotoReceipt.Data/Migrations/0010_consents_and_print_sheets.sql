-- Issue 12: consents as the law asks, photos derived for another product, print sheets.
-- Immutable once landed: change by a new file.

-- Every consent a user gave, with its version and time, and when it was withdrawn. A new version of
-- a text needs a new row; the history stays (what the user agreed to, and when, is the evidence).
CREATE TABLE consents (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          text NOT NULL,
    version       text NOT NULL,
    given_at      timestamptz NOT NULL DEFAULT now(),
    withdrawn_at  timestamptz
);
-- The upload's check reads "this user's standing consent of this kind and version".
CREATE INDEX consents_standing_idx ON consents (user_id, kind, version) WHERE withdrawn_at IS NULL;

-- A child under 14 (by the ID number's birth date) is ordered for with a parent's or guardian's
-- consent (PIPL art. 31). The guardian's name is personal data: encrypted like the applicant's.
CREATE TABLE order_guardian_consents (
    order_id             uuid PRIMARY KEY REFERENCES orders (id) ON DELETE CASCADE,
    relationship         text NOT NULL,
    guardian_name_enc    bytea,
    guardian_name_masked text,
    pii_key_id           text,
    given_at             timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE photos
    -- The photo this one was standardized from again for another product (no new upload).
    ADD COLUMN derived_from    uuid REFERENCES photos (id),
    -- 6-inch print layout of the standardized photo (usable photos only).
    ADD COLUMN print_sheet_key text;
