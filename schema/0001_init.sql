-- Ravenous schema, version 1: accounts, appservices and the event log.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

CREATE TABLE schema_migrations (
    version          INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    applied_at       INTEGER NOT NULL,   -- ms since epoch
    ravenous_version TEXT NOT NULL
) STRICT;

-- Small facts about this database (owner credential source, instance id...).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Every local user: the owner, appservice senders and puppets.
CREATE TABLE users (
    user_id        TEXT PRIMARY KEY,
    password_hash  TEXT,                 -- Argon2id (libsodium string form); NULL: no password login
    appservice_id  TEXT,                 -- the appservice that registered it, if any
    is_owner       INTEGER NOT NULL DEFAULT 0,
    deactivated    INTEGER NOT NULL DEFAULT 0,
    displayname    TEXT,
    avatar_url     TEXT,
    created_ts     INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
    user_id       TEXT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    device_id     TEXT NOT NULL,
    display_name  TEXT,
    last_seen_ts  INTEGER,
    last_seen_ip  TEXT,
    created_ts    INTEGER NOT NULL,
    PRIMARY KEY (user_id, device_id)
) STRICT, WITHOUT ROWID;

-- Access tokens are stored hashed (BLAKE2b-256, hex); the token itself is never stored.
CREATE TABLE access_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    created_ts  INTEGER NOT NULL,
    FOREIGN KEY (user_id, device_id) REFERENCES devices(user_id, device_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX access_tokens_by_device ON access_tokens(user_id, device_id);

-- Appservice registrations made at run time (files from the config are not stored here).
CREATE TABLE appservices (
    id            TEXT PRIMARY KEY,
    registration  TEXT NOT NULL,         -- JSON
    created_ts    INTEGER NOT NULL
) STRICT;

-- Each appservice's durable cursor on the stream: everything after it is still to deliver.
CREATE TABLE appservice_cursors (
    appservice_id  TEXT PRIMARY KEY,
    stream_pos     INTEGER NOT NULL
) STRICT;

CREATE TABLE rooms (
    room_id       TEXT PRIMARY KEY,
    room_version  TEXT NOT NULL,
    creator       TEXT NOT NULL,
    is_public     INTEGER NOT NULL DEFAULT 0,
    created_ts    INTEGER NOT NULL
) STRICT;

-- The log. stream_pos is the global order (/sync follows it); topo is the per-room order
-- (/messages follows it; backfilled batches take positions below the first event).
CREATE TABLE events (
    stream_pos        INTEGER PRIMARY KEY,
    room_id           TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    topo              INTEGER NOT NULL,
    event_id          TEXT NOT NULL UNIQUE,
    type              TEXT NOT NULL,
    state_key         TEXT,
    sender            TEXT NOT NULL,
    origin_server_ts  INTEGER NOT NULL,
    json              TEXT NOT NULL,     -- the event as served (verbatim content; redacted in place)
    redacted_by       TEXT,              -- the m.room.redaction event, once redacted
    relates_to        TEXT,              -- content.m.relates_to.event_id (relations, threads)
    rel_type          TEXT,              -- content.m.relates_to.rel_type
    device_id         TEXT,              -- the sender's device and txn id, for
    txn_id            TEXT               --   unsigned.transaction_id
) STRICT;
-- /messages paging, boundaries, and the room side of room deletion (cascade).
CREATE UNIQUE INDEX events_by_room_topo ON events(room_id, topo);
-- /relations without a rel_type, and edits of an event.
CREATE INDEX events_by_relation ON events(relates_to, rel_type, topo) WHERE relates_to IS NOT NULL;
-- Relations of one type in one room, in topo order: /relations with a rel_type, thread
-- summaries (covering count and latest reply) and /threads (replies grouped by root).
CREATE INDEX events_by_room_relation ON events(room_id, rel_type, relates_to, topo)
    WHERE rel_type IS NOT NULL;
-- /timestamp_to_event: ties on origin_server_ts are broken by topo, inside the index.
CREATE INDEX events_by_room_ts ON events(room_id, origin_server_ts, topo);
-- State at a point of the log (last topo per type and state_key) and one key's history.
CREATE INDEX events_state_by_room ON events(room_id, type, state_key, topo) WHERE state_key IS NOT NULL;

CREATE TABLE current_state (
    room_id     TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    state_key   TEXT NOT NULL,
    stream_pos  INTEGER NOT NULL,
    PRIMARY KEY (room_id, type, state_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE memberships (
    room_id     TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    membership  TEXT NOT NULL,
    stream_pos  INTEGER NOT NULL,
    forgotten   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX memberships_by_user ON memberships(user_id, membership);
-- Member counts per membership (joined/invited counts of /sync's room summary).
CREATE INDEX memberships_by_room ON memberships(room_id, membership);

CREATE TABLE room_aliases (
    alias       TEXT PRIMARY KEY,
    room_id     TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    creator     TEXT NOT NULL,
    created_ts  INTEGER NOT NULL
) STRICT;
CREATE INDEX room_aliases_by_room ON room_aliases(room_id);

-- Idempotent sends: (user, device, txn id) -> the event it produced.
CREATE TABLE txn_ids (
    user_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    txn_id      TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    created_ts  INTEGER NOT NULL,
    PRIMARY KEY (user_id, device_id, txn_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE account_data (
    user_id     TEXT NOT NULL,
    room_id     TEXT NOT NULL DEFAULT '',   -- '' for global account data
    type        TEXT NOT NULL,
    content     TEXT NOT NULL,
    stream_pos  INTEGER NOT NULL,
    PRIMARY KEY (user_id, room_id, type)
) STRICT, WITHOUT ROWID;

CREATE TABLE receipts (
    room_id      TEXT NOT NULL REFERENCES rooms(room_id) ON DELETE CASCADE,
    user_id      TEXT NOT NULL,
    receipt_type TEXT NOT NULL,
    thread_id    TEXT NOT NULL DEFAULT '',
    event_id     TEXT NOT NULL,
    ts           INTEGER NOT NULL,
    stream_pos   INTEGER NOT NULL,
    PRIMARY KEY (room_id, user_id, receipt_type, thread_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE to_device (
    id          INTEGER PRIMARY KEY,
    user_id     TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    sender      TEXT NOT NULL,
    type        TEXT NOT NULL,
    content     TEXT NOT NULL,
    stream_pos  INTEGER NOT NULL
) STRICT;
CREATE INDEX to_device_by_device ON to_device(user_id, device_id, id);

-- The stream counter: one global sequence for events (their stream_pos) and everything else
-- /sync follows (account data, receipts, ...), so a sync token is one number. Allocated inside
-- the write job's savepoint: a job that fails gives its positions back.
CREATE TABLE stream_counter (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    pos  INTEGER NOT NULL
) STRICT;
INSERT INTO stream_counter (id, pos) VALUES (1, 0);

CREATE TABLE media (
    media_id      TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL,
    content_type  TEXT,
    filename      TEXT,
    size          INTEGER,
    sha256        TEXT,
    created_ts    INTEGER NOT NULL,
    uploaded_ts   INTEGER
) STRICT;
