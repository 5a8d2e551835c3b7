-- Stored /sync filters (POST /user/{userId}/filter): ids are small integers per user.
CREATE TABLE filters (
    user_id    TEXT NOT NULL,
    filter_id  TEXT NOT NULL,
    json       TEXT NOT NULL,
    PRIMARY KEY (user_id, filter_id)
) STRICT, WITHOUT ROWID;

-- Incremental /sync: the user's membership changes in (since, until] without reading every
-- room the user is in.
CREATE INDEX memberships_by_user_stream ON memberships(user_id, stream_pos);
