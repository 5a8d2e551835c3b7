#include "ravenous/appservice/pusher.hpp"

// Placeholder while the pusher is being written; replaced in the same issue.

namespace ravenous::appservice {

struct Pusher::Impl
{
};

Pusher::Pusher(boost::asio::any_io_executor, const Registry&, storage::Database&,
               sync::Notifier&, sync::EphemeralState&, std::string, std::string)
    : impl_(std::make_shared<Impl>())
{
}
Pusher::~Pusher() = default;
void Pusher::start() {}
void Pusher::refresh() {}
void Pusher::poke(std::string_view) {}
void Pusher::stop() {}
std::vector<DeliveryStatus> Pusher::status() const { return {}; }

} // namespace ravenous::appservice
