-- Room deletion (POST .../com.beeper.yeet/rooms/{roomId}/delete, the operator API) and the
-- erasure of a whole bridge.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

-- What is left of a deleted room: nothing of its content, only the fact. /sync reads it to
-- tell the users who were in the room that it is gone (rooms.leave, once: the deletion has its
-- own stream position), and it is the one row with the room's id that outlives the deletion.
-- `members`: JSON object, user id -> 0 for those joined, invited or knocking at the deletion,
-- or the stream position of the leave or ban of those who were no longer in (a client that has
-- not synced since then hears of it as a leave too). Forgotten memberships are left out.
CREATE TABLE deleted_rooms (
    room_id     TEXT PRIMARY KEY,
    stream_pos  INTEGER NOT NULL,
    deleted_ts  INTEGER NOT NULL,
    deleted_by  TEXT NOT NULL,          -- a user id, "appservice:<id>" or "admin"
    members     TEXT NOT NULL
) STRICT;
-- Deletions in a stream range: what every incremental /sync and every appservice transaction
-- asks (nearly always: none).
CREATE INDEX deleted_rooms_by_stream ON deleted_rooms(stream_pos);

-- A room's send-transaction records are found through its events: without this index each
-- deletion scanned every txn_ids row (one per message a client or bridge ever sent), which an
-- erased bridge with thousands of rooms would do thousands of times.
CREATE INDEX txn_ids_by_event ON txn_ids(event_id);

-- A room's account data of every user (tags, m.fully_read, bridges' per-room keys). Global
-- account data (room_id '') stays out of the index.
CREATE INDEX account_data_by_room ON account_data(room_id) WHERE room_id != '';
