-- To-device messages (the inbox table is in 0001): what /sync and the appservice pusher read.
-- Append-only: a shipped file is never edited; changes go into a new numbered file.

-- Every message has its own stream position, so a position names exactly one message: /sync can
-- stop a response right after its 100th message, and the pusher removes what a bridge
-- acknowledged by position.
CREATE UNIQUE INDEX to_device_by_stream ON to_device(stream_pos);
-- A device's inbox in stream order (/sync, and the acknowledgement that deletes up to `since`).
CREATE INDEX to_device_by_device_stream ON to_device(user_id, device_id, stream_pos);

-- Deleting a device (DELETE /devices, logout, a password change that logs out the others, a
-- user's deletion by cascade) deletes its pending messages in the same transaction, whichever
-- path removed it.
CREATE TRIGGER to_device_gone_with_device AFTER DELETE ON devices
BEGIN
    DELETE FROM to_device WHERE user_id = OLD.user_id AND device_id = OLD.device_id;
END;

-- PUT /sendToDevice idempotency: a retried (sender, device key, type, txnId) stores nothing
-- again. Apart from txn_ids, whose rows name the event a room send created: a to-device request
-- creates no event, and its txnIds are a namespace of their own (as Synapse keys them by path).
-- Rows older than a day are pruned when the sender sends again (see to_device_table.cpp).
CREATE TABLE to_device_txns (
    user_id     TEXT NOT NULL,
    device_key  TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    txn_id      TEXT NOT NULL,
    created_ts  INTEGER NOT NULL,
    PRIMARY KEY (user_id, device_key, event_type, txn_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX to_device_txns_by_user_ts ON to_device_txns(user_id, created_ts);
