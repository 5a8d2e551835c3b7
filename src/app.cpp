#include "ravenous/app.hpp"

#include "ravenous/api/routes.hpp"
#include "ravenous/appservice/pusher.hpp"
#include "ravenous/appservice/registry.hpp"
#include "ravenous/appservice/runtime_registrations.hpp"
#include "ravenous/appservice/websocket_hub.hpp"
#include "ravenous/auth/accounts.hpp"
#include "ravenous/auth/authenticator.hpp"
#include "ravenous/auth/devices.hpp"
#include "ravenous/auth/uia.hpp"
#include "ravenous/http/router.hpp"
#include "ravenous/http/server.hpp"
#include "ravenous/profile/profile_service.hpp"
#include "ravenous/rooms/backfill.hpp"
#include "ravenous/rooms/room_deletion.hpp"
#include "ravenous/rooms/room_reader.hpp"
#include "ravenous/rooms/room_service.hpp"
#include "ravenous/rooms/timeline.hpp"
#include "ravenous/push/push_rules.hpp"
#include "ravenous/storage/events_table.hpp"
#include "ravenous/sync/account_data.hpp"
#include "ravenous/sync/ephemeral.hpp"
#include "ravenous/sync/filters.hpp"
#include "ravenous/sync/notifier.hpp"
#include "ravenous/sync/receipts.hpp"
#include "ravenous/sync/sync_service.hpp"
#include "ravenous/storage/appservices_table.hpp"
#include "ravenous/storage/database.hpp"
#include "ravenous/util/log.hpp"
#include "ravenous/util/random.hpp"
#include "ravenous/util/worker_pool.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace ravenous {

namespace fs = std::filesystem;

std::vector<std::string> check_appservice_files(const config::Config& config)
{
    std::vector<std::string> problems;
    appservice::Registry registry(config.server_name);
    for (const auto& path : config.app_service_config_files) {
        auto parsed = appservice::parse_registration_file(path);
        problems.insert(problems.end(), parsed.problems.begin(), parsed.problems.end());
        if (!parsed.registration)
            continue;
        for (auto& conflict : registry.put(parsed.registration))
            problems.push_back("app_service_config_files: " + path + ": " + conflict);
    }
    return problems;
}

namespace {

// The embedded default names no password: make one at first start and keep it (0600) next to
// the database, so that every later start can print it again.
std::string generated_owner_password(const config::Config& config)
{
    const fs::path file = fs::path(config.database_path).parent_path() / "owner-password";
    if (std::ifstream in{file}; in) {
        std::string password;
        std::getline(in, password);
        if (!password.empty())
            return password;
    }
    fs::create_directories(file.parent_path().empty() ? fs::path(".") : file.parent_path());
    const std::string password = util::random_alnum(20);
    {
        std::ofstream out{file, std::ios::trunc};
        out << password << "\n";
        if (!out)
            throw std::runtime_error("cannot write " + file.string());
    }
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
    return password;
}

void load_appservices(appservice::Registry& registry, storage::Database& db,
                      const config::Config& config)
{
    for (const auto& path : config.app_service_config_files) {
        auto parsed = appservice::parse_registration_file(path);
        if (!parsed.registration)
            throw std::runtime_error(parsed.problems.empty() ? path : parsed.problems.front());
        if (auto conflicts = registry.put(parsed.registration); !conflicts.empty())
            throw std::runtime_error(path + ": " + conflicts.front());
    }
    std::vector<storage::AppserviceRow> rows;
    db.readers().run_blocking([&](storage::ReadTxn& txn) { rows = storage::appservices::list(txn); });
    for (const auto& row : rows) {
        auto parsed = appservice::parse_stored_registration(row.registration_json);
        if (!parsed.registration) {
            spdlog::error("stored appservice registration '{}' is invalid: {}", row.id,
                          parsed.problems.empty() ? "?" : parsed.problems.front());
            continue;
        }
        if (auto conflicts = registry.put(parsed.registration); !conflicts.empty())
            spdlog::error("stored appservice registration '{}' conflicts: {}", row.id,
                          conflicts.front());
    }
}

void print_banner(const config::Config& config, const std::optional<std::string>& password)
{
    std::cout << "Ravenous " << RAVENOUS_VERSION << " is serving " << config.base_url() << "\n"
              << "  server name: " << config.server_name << "\n"
              << "  owner:       " << config.owner.user_id << "\n";
    if (password)
        std::cout << "  password:    " << *password << "   (generated; kept in "
                  << (fs::path(config.database_path).parent_path() / "owner-password").string()
                  << ")\n";
    std::cout << "Log in from any Matrix client with homeserver " << config.base_url() << "\n"
              << std::flush;
}

} // namespace

int run_server(config::Config config)
{
    util::init_logging(config.log_level);
    try {
        std::optional<std::string> generated;
        if (!config.owner.password && !config.owner.password_hash) {
            generated = generated_owner_password(config);
            config.owner.password = generated;
        }

        storage::Database db({config.database_path, 2, {}});
        std::int64_t stream_position = 0;
        db.readers().run_blocking(
            [&](storage::ReadTxn& txn) { stream_position = storage::stream::current(txn); });
        sync::Notifier notifier(stream_position);
        db.writer().set_stream_listener(
            [&notifier](std::int64_t position) { notifier.advance_stream(position); });
        appservice::Registry registry(config.server_name);
        load_appservices(registry, db, config);

        util::WorkerPool compute("compute", 1);
        auth::Authenticator authenticator(registry, db, config.server_name,
                                          config.owner.user_id);
        auth::AccountService accounts(db, compute, authenticator);
        auth::DeviceService devices(db);
        auth::InteractiveAuth uia(accounts);
        profile::ProfileService profiles(db);
        rooms::RoomService room_service(db, config.server_name);
        rooms::RoomReader room_reader(db);
        rooms::Timeline timeline(db);
        rooms::BackfillService backfill(db, config.server_name, config.owner.user_id);
        sync::FilterStore filters(db);
        sync::EphemeralState ephemeral(notifier);
        sync::SyncService sync_service(db, notifier, filters, ephemeral);
        sync::AccountDataService account_data(db);
        sync::ReceiptService receipts(db);
        push::PushRuleService push_rules(db);
        accounts.ensure_owner(config.owner);
        for (const auto& registration : *registry.snapshot())
            accounts.ensure_appservice_user(registration->sender_user_id(config.server_name),
                                            registration->id);

        const unsigned threads =
            config.worker_threads ? config.worker_threads
                                  : std::max(1u, std::thread::hardware_concurrency());
        boost::asio::io_context ioc(static_cast<int>(threads));
        appservice::WebSocketOptions websocket_options;
        websocket_options.ack_timeout =
            std::chrono::milliseconds{config.appservice_websocket_ack_timeout_ms};
        websocket_options.request_timeout =
            std::chrono::milliseconds{config.appservice_websocket_request_timeout_ms};
        appservice::Pusher pusher(ioc.get_executor(), registry, db, notifier, ephemeral,
                                  config.server_name, config.owner.user_id, websocket_options);
        appservice::RuntimeRegistrations appservice_registrations(registry, db, pusher);
        rooms::RoomDeletion room_deletion(db, ephemeral, registry, appservice_registrations);

        api::Services services{config,   db,           registry, pusher,   authenticator,
                               accounts, devices,      uia,         profiles,
                               room_service, room_reader, timeline, backfill,
                               notifier, sync_service, filters, ephemeral,
                               account_data, receipts, push_rules,
                               appservice_registrations, room_deletion};
        http::Router router;
        api::add_routes(router, api::client_routes(), services);
        api::add_routes(router, api::sync_routes(), services);
        api::add_routes(router, api::push_routes(), services);
        api::add_routes(router, api::appservice_routes(), services);
        api::add_routes(router, api::admin_routes(), services);

        http::Server server(ioc, router, {config.listen_host, config.listen_port});
        server.start();
        spdlog::info("listening on {}:{} with {} network threads", config.listen_host,
                     server.port(), threads);
        pusher.start();
        print_banner(config, generated);

        boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& ec, int signal) {
            if (ec)
                return;
            spdlog::info("signal {}: draining", signal);
            notifier.shutdown();  // waiting /sync polls answer now with what they have
            pusher.stop();
            server.shutdown([&ioc] { ioc.stop(); });
        });

        std::vector<std::thread> pool;
        for (unsigned i = 1; i < threads; ++i)
            pool.emplace_back([&ioc] { ioc.run(); });
        ioc.run();
        for (auto& thread : pool)
            thread.join();

        compute.stop();
        db.close();
        spdlog::info("stopped cleanly");
        return 0;
    } catch (const std::exception& e) {
        spdlog::critical("cannot run: {}", e.what());
        std::cerr << "ravenous: " << e.what() << "\n";
        return 1;
    }
}

} // namespace ravenous
