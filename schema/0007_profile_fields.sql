-- Profile fields beyond displayname and avatar_url (which stay in users): what bridges set with
-- PATCH /profile/{userId} (com.beeper.bridge.remote_id, identifiers, service, network, ...).
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

-- `value`: any JSON value, verbatim. A user's fields go with the user.
CREATE TABLE profile_fields (
    user_id  TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;
