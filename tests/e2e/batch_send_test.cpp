// Batch send, where the events go: backward batches below the live log and after the room's
// creation (a later one older still), never in an incremental /sync and never unread; forward
// batches appended and synced; forward_if_no_messages both ways; the bridge's event ids, kept,
// retried and refused when they clash.

#include "batch_send_fixture.hpp"

namespace ravenous::test::batch {
namespace {

class BatchSend : public BatchFixture
{
};

std::vector<std::string> ids(const json& events)
{
    std::vector<std::string> out;
    for (const auto& event : events)
        out.push_back(event.at("event_id").get<std::string>());
    return out;
}

std::vector<std::string> concat(std::initializer_list<std::vector<std::string>> parts)
{
    std::vector<std::string> out;
    for (const auto& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

TEST_F(BatchSend, BackwardBatchesGoBelowTheLiveLogAndAfterTheCreation)
{
    const std::string room = create_room({{"preset", "private_chat"}});
    const auto creation = ids(history(room, 50));
    invite(room, owner_, alice_);
    join(room, alice_);
    text(room, alice_, "live 0");
    text(room, alice_, "live 1");

    // bob was never in the room: his join is inferred at the start of the batch.
    const auto first = backward(room, messages({alice_.user_id, bob_.user_id}, "old ", 5));
    const auto second = backward(room, messages({alice_.user_id}, "older ", 4));
    ASSERT_EQ(first.size(), 5u);
    ASSERT_EQ(second.size(), 4u);

    // Pages of 3, smaller than either batch, newest first.
    const json events = history(room, 3);
    EXPECT_EQ(bodies(events), concat({numbered("live ", 1, 0), numbered("old ", 4, 0),
                                      numbered("older ", 3, 0)}));
    // The creation comes last, as it was, m.room.create the oldest event of all.
    const auto all = ids(events);
    ASSERT_GE(all.size(), creation.size());
    EXPECT_EQ(std::vector<std::string>(all.end() - static_cast<long>(creation.size()), all.end()),
              creation);
    EXPECT_EQ(events.back().value("type", ""), "m.room.create");
    // Each batch is in its own order, the second one below the first; the ids answered are
    // those of the events in request order.
    std::vector<std::string> message_ids;
    for (const auto& event : events)
        if (event.value("type", "") == "m.room.message")
            message_ids.push_back(event.at("event_id"));
    std::vector<std::string> expected(first.rbegin(), first.rend());
    expected.insert(expected.begin(), message_ids.begin(), message_ids.begin() + 2);
    expected.insert(expected.end(), second.rbegin(), second.rend());
    EXPECT_EQ(message_ids, expected);

    // Forward paging from the start reads the same log the other way.
    const json forward = timeline(room);
    auto reversed = ids(forward);
    std::reverse(reversed.begin(), reversed.end());
    EXPECT_EQ(reversed, all);
}

TEST_F(BatchSend, BackwardBatchesAreNeitherNewsInSyncNorUnread)
{
    const std::string room = portal();
    text(room, alice_, "live");
    const std::string since = sync("timeout=0").at("next_batch");
    const json before = unread(room);

    backward(room, messages({alice_.user_id, bob_.user_id}, "old ", 5));
    EXPECT_TRUE(room_of(sync_since(since), room).is_null()) << "history is not news";
    EXPECT_EQ(unread(room), before);

    // The next live event comes alone, and the timeline is not limited by the history.
    text(room, alice_, "new");
    const json joined = room_of(sync_since(since), room);
    ASSERT_TRUE(joined.is_object());
    EXPECT_EQ(bodies(timeline_events(joined)), std::vector<std::string>{"new"});
    EXPECT_FALSE(joined.at("timeline").at("limited").get<bool>());
    // An initial sync's timeline reaches back into the history like /messages does.
    const json initial = room_of(sync("timeout=0"), room);
    EXPECT_EQ(bodies(timeline_events(initial)),
              concat({numbered("old ", 0, 4), {"live", "new"}}));
}

TEST_F(BatchSend, AReceiptOnHistoryDoesNotMoveTheReadMarkerBack)
{
    const std::string room = portal();
    text(room, alice_, "live 0");
    const std::string last = text(room, alice_, "live 1");
    ASSERT_EQ(post(room_path(room, "/receipt/m.read/" + enc(last)), json::object(), owner_).status,
              200);
    ASSERT_EQ(unread(room).value("notification_count", -1), 0);

    // Written after the live events, but older than all of them.
    const auto old = backward(room, messages({alice_.user_id}, "old ", 2));
    ASSERT_EQ(old.size(), 2u);
    ASSERT_EQ(post(room_path(room, "/receipt/m.read/" + enc(old.front())), json::object(), owner_)
                  .status,
              200);
    EXPECT_EQ(unread(room).value("notification_count", -1), 0);
}

TEST_F(BatchSend, HistoryInARoomWithNothingButItsCreationIsNotNewsEither)
{
    // The owner imports into a room that has nothing but its creation (their own token).
    const std::string room = create_room();
    const std::string since = sync("timeout=0").at("next_batch");
    batch(room, {{"events", messages({owner_id}, "old ", 3)}}, &owner_);
    EXPECT_TRUE(room_of(sync_since(since), room).is_null());

    text(room, owner_, "live");
    const json joined = room_of(sync_since(since), room);
    EXPECT_EQ(bodies(timeline_events(joined)), std::vector<std::string>{"live"});
    EXPECT_EQ(bodies(history(room)), concat({{"live"}, numbered("old ", 2, 0)}));
    EXPECT_EQ(history(room).back().value("type", ""), "m.room.create");
}

TEST_F(BatchSend, ForwardBatchesAreSyncedAndCountAsUnreadUnlessSilent)
{
    const std::string room = portal();
    const std::string since = sync("timeout=0").at("next_batch");
    ASSERT_EQ(unread(room).value("notification_count", -1), 0);

    const auto loud = batch(room, {{"events", messages({alice_.user_id}, "loud ", 3)},
                                   {"forward", true},
                                   {"send_notification", true}});
    const json joined = room_of(sync_since(since), room);
    EXPECT_EQ(bodies(timeline_events(joined)), numbered("loud ", 0, 2));
    EXPECT_EQ(unread(room).value("notification_count", -1), 3);

    const auto quiet = batch(room, {{"events", messages({alice_.user_id}, "quiet ", 2)},
                                    {"forward", true},
                                    {"send_notification", false}});
    EXPECT_EQ(bodies(timeline_events(room_of(sync_since(since), room))),
              concat({numbered("loud ", 0, 2), numbered("quiet ", 0, 1)}));
    EXPECT_EQ(unread(room).value("notification_count", -1), 3);
    // Appended after everything, in order.
    EXPECT_EQ(bodies(history(room, 50)),
              concat({numbered("quiet ", 1, 0), numbered("loud ", 2, 0)}));

    // GET /notifications lists what notified: the loud batch, not the quiet one nor history.
    backward(room, messages({alice_.user_id}, "old ", 2));
    auto listed = get(v3 + "/notifications", owner_);
    ASSERT_EQ(listed.status, 200) << listed.body;
    std::vector<std::string> notified;
    const json notifications = listed.json().at("notifications");
    for (const auto& n : notifications)
        notified.push_back(n.at("event").at("content").value("body", ""));
    EXPECT_EQ(notified, numbered("loud ", 2, 0));
}

TEST_F(BatchSend, ForwardIfNoMessagesGoesForwardOnlyIntoARoomWithoutMessages)
{
    const std::string room = create_room();
    const std::string since = sync("timeout=0").at("next_batch");
    const json body = {{"events", messages({owner_id}, "first ", 2)},
                       {"forward_if_no_messages", true}};
    batch(room, body, &owner_);
    EXPECT_EQ(bodies(timeline_events(room_of(sync_since(since), room))),
              numbered("first ", 0, 1));

    // Now the room has messages: the same request goes backward, below them.
    const std::string later = sync("timeout=0").at("next_batch");
    batch(room, {{"events", messages({owner_id}, "second ", 2)}, {"forward_if_no_messages", true}},
          &owner_);
    EXPECT_TRUE(room_of(sync_since(later), room).is_null());
    EXPECT_EQ(bodies(history(room)),
              concat({numbered("first ", 1, 0), numbered("second ", 1, 0)}));
}

TEST_F(BatchSend, ChosenEventIdsAreKeptAndARetryAnswersTheSameWithoutDuplicates)
{
    const std::string room = portal();
    const json body = {{"events",
                        {message(alice_.user_id, "a", "$bridge-a:whatsapp.test"),
                         message(alice_.user_id, "b", "$bridge-b:whatsapp.test")}}};
    const auto first = backward(room, body.at("events"));
    EXPECT_EQ(first, (std::vector<std::string>{"$bridge-a:whatsapp.test", "$bridge-b:whatsapp.test"}));
    const auto stored = fingerprint(room);

    // A retry (the bridge did not see the answer): the same ids, nothing written.
    EXPECT_EQ(backward(room, body.at("events")), first);
    EXPECT_EQ(fingerprint(room), stored);
    EXPECT_EQ(bodies(history(room)), (std::vector<std::string>{"b", "a"}));
    auto event = get(room_path(room, "/event/" + enc(first[0])), owner_);
    ASSERT_EQ(event.status, 200) << event.body;
    EXPECT_EQ(event.json().at("content").at("body"), "a");

    // A stored id next to a new one, an id of another room, an id twice, a malformed id: 400,
    // and nothing written anywhere.
    const std::string other = portal();
    const auto other_before = fingerprint(other);
    const json refused[] = {
        json::array({message(alice_.user_id, "c", "$bridge-c:whatsapp.test"),
                     message(alice_.user_id, "a again", "$bridge-a:whatsapp.test")}),
        json::array({message(alice_.user_id, "d"), message(alice_.user_id, "b", "$bridge-b:whatsapp.test")}),
        json::array({message(alice_.user_id, "e", "$twice:whatsapp.test"),
                     message(alice_.user_id, "f", "$twice:whatsapp.test")}),
        json::array({message(alice_.user_id, "g", "no-sigil")}),
        json::array({message(alice_.user_id, "h", "$" + std::string(255, 'x'))}),
    };
    for (const auto& events : refused) {
        expect_error(batch_raw(room, {{"events", events}}, bot_), 400, "M_INVALID_PARAM");
        expect_error(batch_raw(room, {{"events", events}, {"forward", true}}, bot_), 400,
                     "M_INVALID_PARAM");
    }
    expect_error(batch_raw(other, body, bot_), 400, "M_INVALID_PARAM");
    EXPECT_EQ(fingerprint(room), stored);
    EXPECT_EQ(fingerprint(other), other_before);
    EXPECT_EQ(get(room_path(room, "/event/" + enc("$bridge-c:whatsapp.test")), owner_).status, 404);

    // Missing ids are made up as the server makes them.
    const auto made = backward(room, json::array({message(alice_.user_id, "i")}));
    ASSERT_EQ(made.size(), 1u);
    EXPECT_EQ(made[0].front(), '$');
    EXPECT_EQ(made[0].size(), 44u);
}

} // namespace
} // namespace ravenous::test::batch
