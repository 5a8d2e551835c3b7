#pragma once

// Handlers of the client-server API, one group per spec area (one .cpp each).
#include "ravenous/api/dispatch.hpp"

namespace ravenous::api::client {

using boost::asio::awaitable;
using http::Response;

// versions.cpp
awaitable<Response> get_versions(Context& ctx);
awaitable<Response> get_well_known_client(Context& ctx);
awaitable<Response> get_capabilities(Context& ctx);

// login.cpp
awaitable<Response> get_login_flows(Context& ctx);
awaitable<Response> post_login(Context& ctx);
awaitable<Response> post_logout(Context& ctx);
awaitable<Response> post_logout_all(Context& ctx);

// account.cpp
awaitable<Response> get_whoami(Context& ctx);
awaitable<Response> post_password(Context& ctx);

// media_config.cpp
awaitable<Response> get_media_config(Context& ctx);

// register.cpp
awaitable<Response> post_register(Context& ctx);
awaitable<Response> get_register_available(Context& ctx);

// devices.cpp
awaitable<Response> get_devices(Context& ctx);
awaitable<Response> get_device(Context& ctx);
awaitable<Response> put_device(Context& ctx);
awaitable<Response> delete_device(Context& ctx);
awaitable<Response> post_delete_devices(Context& ctx);

// profile.cpp
awaitable<Response> get_profile(Context& ctx);
awaitable<Response> get_displayname(Context& ctx);
awaitable<Response> put_displayname(Context& ctx);
awaitable<Response> get_avatar_url(Context& ctx);
awaitable<Response> put_avatar_url(Context& ctx);
awaitable<Response> get_profile_field(Context& ctx);
awaitable<Response> patch_profile(Context& ctx);

// beeper.cpp (Beeper's unstable endpoints)
awaitable<Response> put_inbox_state(Context& ctx);
awaitable<Response> get_timesync(Context& ctx);

// rooms_create.cpp
awaitable<Response> post_create_room(Context& ctx);

// rooms_membership.cpp
awaitable<Response> post_room_join(Context& ctx);
awaitable<Response> post_join(Context& ctx);
awaitable<Response> post_leave(Context& ctx);
awaitable<Response> post_forget(Context& ctx);
awaitable<Response> post_invite(Context& ctx);
awaitable<Response> post_kick(Context& ctx);
awaitable<Response> post_ban(Context& ctx);
awaitable<Response> post_unban(Context& ctx);

// rooms_state.cpp
awaitable<Response> put_state(Context& ctx);
awaitable<Response> get_state_event(Context& ctx);
awaitable<Response> get_room_state(Context& ctx);
awaitable<Response> get_members(Context& ctx);
awaitable<Response> get_joined_members(Context& ctx);
awaitable<Response> get_joined_rooms(Context& ctx);

// rooms_send.cpp
awaitable<Response> put_send(Context& ctx);
awaitable<Response> put_redact(Context& ctx);

// batch_send.cpp (bridges importing history)
awaitable<Response> post_batch_send(Context& ctx);
awaitable<Response> post_msc2716_batch_send(Context& ctx);

// directory.cpp
awaitable<Response> put_alias(Context& ctx);
awaitable<Response> get_alias(Context& ctx);
awaitable<Response> delete_alias(Context& ctx);
awaitable<Response> get_room_aliases(Context& ctx);

// rooms_history.cpp (timeline reads)
awaitable<Response> get_messages(Context& ctx);
awaitable<Response> get_context(Context& ctx);
awaitable<Response> get_event(Context& ctx);
awaitable<Response> get_timestamp_to_event(Context& ctx);
awaitable<Response> get_relations(Context& ctx);
awaitable<Response> get_threads(Context& ctx);

// room_delete.cpp (com.beeper.yeet)
awaitable<Response> post_room_delete(Context& ctx);

} // namespace ravenous::api::client
