// The content repository's configuration, which bridges read at start-up to know how large a
// file they may upload (media itself comes with a later issue).

#include "api/client/handlers.hpp"

#include "ravenous/config/config.hpp"

#include <nlohmann/json.hpp>

namespace ravenous::api::client {

// GET /_matrix/client/v1/media/config
// GET /_matrix/media/v3/config (deprecated; mautrix-python reads it below spec v1.11)
awaitable<Response> get_media_config(Context& ctx)
{
    co_return Response::json({{"m.upload.size", ctx.services.config.max_upload_size}});
}

} // namespace ravenous::api::client
