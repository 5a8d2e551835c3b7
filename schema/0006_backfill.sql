-- Batch send (POST .../com.beeper.backfill/rooms/{roomId}/batch_send and its MSC2716
-- predecessor): what the log must remember of an event a bridge imported.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

-- 1: the event counts towards no unread or notification count and is never pushed (a forward
-- batch sent with send_notification false, and every event of a backward batch: history).
ALTER TABLE events ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
-- The appservice whose batch send wrote the event: it is never delivered back to it (it has
-- it already); other appservices interested in the room get it as usual.
ALTER TABLE events ADD COLUMN backfilled_by TEXT;
