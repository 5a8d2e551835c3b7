#include "ravenous/appservice/pusher.hpp"

#include "appservice/consumer.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
#include "ravenous/sync/notifier.hpp"
#include "ravenous/util/time.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>
#include <set>

namespace ravenous::appservice {

struct Pusher::Impl
{
    Impl(boost::asio::any_io_executor executor, const Registry& registry,
         std::shared_ptr<ConsumerDeps> deps)
        : executor(std::move(executor)), registry(registry), deps(std::move(deps))
    {
    }

    boost::asio::any_io_executor executor;
    const Registry& registry;
    std::shared_ptr<ConsumerDeps> deps;
    std::mutex mutex;
    std::map<std::string, std::shared_ptr<Consumer>, std::less<>> consumers;
    bool started = false;
    bool stopped = false;

    // Caller holds mutex.
    void reconcile()
    {
        if (!started || stopped)
            return;
        // A consumer started now begins after everything committed so far, never before a
        // request that registered it returned: the head is read here, synchronously.
        const std::int64_t head = deps->notifier.current().stream;
        auto snapshot = registry.snapshot();
        std::map<std::string, std::shared_ptr<const Registration>, std::less<>> wanted;
        std::set<std::string, std::less<>> websocket_ids;
        for (const auto& registration : *snapshot) {
            if (registration->delivers_over_websocket())
                websocket_ids.insert(registration->id);
            if (registration->pushes_over_http() || registration->delivers_over_websocket())
                wanted.emplace(registration->id, registration);
        }
        deps->websockets->retain(websocket_ids);
        for (auto it = consumers.begin(); it != consumers.end();) {
            auto found = wanted.find(it->first);
            if (found == wanted.end() || found->second != it->second->registration()) {
                it->second->stop();
                it = consumers.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& [id, registration] : wanted) {
            if (consumers.contains(id))
                continue;
            auto consumer = std::make_shared<Consumer>(executor, registration, deps, head);
            consumer->start();
            consumers.emplace(id, std::move(consumer));
        }
    }
};

Pusher::Pusher(boost::asio::any_io_executor executor, const Registry& registry,
               storage::Database& db, sync::Notifier& notifier, sync::EphemeralState& ephemeral,
               std::string server_name, std::string owner_user_id,
               const WebSocketOptions& websocket)
    : impl_(std::make_shared<Impl>(
          std::move(executor), registry,
          std::make_shared<ConsumerDeps>(ConsumerDeps{
              db, notifier, ephemeral, std::move(server_name), std::move(owner_user_id),
              util::now_ms(), std::make_shared<WebSocketHub>(websocket)})))
{
    // A bridge that connects is served at once, not after its consumer's next look.
    std::weak_ptr<Impl> weak = impl_;
    impl_->deps->websockets->set_on_connect([weak](const std::string& appservice_id) {
        if (auto impl = weak.lock()) {
            std::lock_guard lock(impl->mutex);
            if (auto it = impl->consumers.find(appservice_id); it != impl->consumers.end())
                it->second->poke();
        }
    });
}

Pusher::~Pusher()
{
    stop();
}

void Pusher::start()
{
    std::lock_guard lock(impl_->mutex);
    impl_->started = true;
    impl_->reconcile();
}

void Pusher::refresh()
{
    std::lock_guard lock(impl_->mutex);
    impl_->reconcile();
}

void Pusher::poke(std::string_view appservice_id)
{
    std::lock_guard lock(impl_->mutex);
    if (auto it = impl_->consumers.find(appservice_id); it != impl_->consumers.end())
        it->second->poke();
}

void Pusher::stop()
{
    std::lock_guard lock(impl_->mutex);
    impl_->stopped = true;
    for (auto& [id, consumer] : impl_->consumers)
        consumer->stop();
    impl_->consumers.clear();
}

std::vector<DeliveryStatus> Pusher::status() const
{
    std::lock_guard lock(impl_->mutex);
    std::vector<DeliveryStatus> out;
    for (const auto& [id, consumer] : impl_->consumers) {
        out.push_back(consumer->status());
        if (consumer->registration()->delivers_over_websocket())
            out.back().websocket = impl_->deps->websockets->status(id).value_or(WebSocketStatus{});
    }
    return out;
}

std::shared_ptr<WebSocketHub> Pusher::websockets() const
{
    return impl_->deps->websockets;
}

} // namespace ravenous::appservice
