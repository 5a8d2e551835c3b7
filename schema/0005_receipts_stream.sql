-- Receipts changed in a stream range: what every incremental /sync and every appservice
-- transaction asks. Without this index each of them scanned the whole table.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.
CREATE INDEX receipts_by_stream ON receipts(stream_pos, room_id);
