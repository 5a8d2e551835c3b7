-- Push rules and pushers.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

-- The user's changes to their push rules. A user-defined rule has its body (`rule`: JSON
-- with conditions or pattern); a predefined rule (rule_id starting with '.') has no body, only
-- its enabled flag and/or actions when the user changed them (NULL: the default). `priority`
-- orders the user-defined rules of a kind, highest first.
CREATE TABLE push_rules (
    user_id   TEXT NOT NULL,
    kind      TEXT NOT NULL,
    rule_id   TEXT NOT NULL,
    priority  INTEGER NOT NULL DEFAULT 0,
    rule      TEXT,
    enabled   INTEGER,
    actions   TEXT,
    PRIMARY KEY (user_id, kind, rule_id)
) STRICT, WITHOUT ROWID;

-- The stream position of each user's last push rule change (/sync sends m.push_rules then).
CREATE TABLE push_rules_stream (
    user_id     TEXT PRIMARY KEY,
    stream_pos  INTEGER NOT NULL
) STRICT;

-- HTTP pushers: (app_id, pushkey) is unique per user; `pusher` is the JSON GET /pushers shows.
CREATE TABLE pushers (
    user_id     TEXT NOT NULL,
    app_id      TEXT NOT NULL,
    pushkey     TEXT NOT NULL,
    device_id   TEXT,
    pusher      TEXT NOT NULL,
    created_ts  INTEGER NOT NULL,
    PRIMARY KEY (user_id, app_id, pushkey)
) STRICT, WITHOUT ROWID;
