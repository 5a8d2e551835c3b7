// Registration files as bridges write them (mautrix and friends): the spec's keys plus the
// unstable ones. Unknown keys are ignored because bridges add their own.

#include "ravenous/appservice/registration.hpp"
#include "ravenous/matrix/ids.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace ravenous::appservice {

namespace {

class Reader
{
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    void problem(std::string_view key, std::string_view message)
    {
        problems_.push_back(source_ + ": " + std::string(key) + ": " + std::string(message));
    }

    std::vector<std::string>& problems() { return problems_; }

    std::string required_string(const YAML::Node& map, const char* key)
    {
        const YAML::Node node = map[key];
        if (!node.IsDefined() || node.IsNull()) {
            problem(key, "is required");
            return {};
        }
        if (!node.IsScalar()) {
            problem(key, "must be a string");
            return {};
        }
        if (node.Scalar().empty()) {
            problem(key, "must not be empty");
        }
        return node.Scalar();
    }

    // Absent and null read as `fallback`. A quoted "true" is a string, not a boolean (as in
    // Synapse, where PyYAML would hand it over as str).
    bool optional_bool(const YAML::Node& node, std::string_view key, bool fallback)
    {
        if (!node.IsDefined() || node.IsNull()) {
            return fallback;
        }
        return required_bool(node, key);
    }

    bool required_bool(const YAML::Node& node, std::string_view key)
    {
        bool value = false;
        if (!node.IsDefined() || node.IsNull()) {
            problem(key, "is required (true or false)");
        } else if (!node.IsScalar() || node.Tag() == "!" ||
                   !YAML::convert<bool>::decode(node, value)) {
            problem(key, "must be a boolean (true or false)");
        }
        return value;
    }

    std::vector<Namespace> namespaces(const YAML::Node& map, const char* kind)
    {
        const std::string key = std::string("namespaces.") + kind;
        const YAML::Node list = map[kind];
        std::vector<Namespace> result;
        if (!list.IsDefined() || list.IsNull()) {
            return result;
        }
        if (!list.IsSequence()) {
            problem(key, "must be a list of {exclusive, regex}");
            return result;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string item_key = key + "[" + std::to_string(i) + "]";
            const YAML::Node item = list[i];
            if (!item.IsMap()) {
                problem(item_key, "must be a mapping with exclusive and regex");
                continue;
            }
            const bool exclusive = required_bool(item["exclusive"], item_key + ".exclusive");
            const YAML::Node regex = item["regex"];
            if (!regex.IsDefined() || regex.IsNull() || !regex.IsScalar()) {
                problem(item_key + ".regex", "must be a string");
                continue;
            }
            try {
                result.emplace_back(regex.Scalar(), exclusive);
            } catch (const std::invalid_argument& e) {
                problem(item_key + ".regex", "'" + regex.Scalar() +
                                                 "' is not a valid regular expression (" +
                                                 e.what() + ")");
            }
        }
        return result;
    }

private:
    std::string source_;
    std::vector<std::string> problems_;
};

void read_registration(Reader& r, const YAML::Node& root, Registration& reg,
                       std::string_view default_id)
{
    if (!default_id.empty() && !root["id"].IsDefined())
        reg.id = default_id;
    else
        reg.id = r.required_string(root, "id");
    reg.as_token = r.required_string(root, "as_token");
    reg.hs_token = r.required_string(root, "hs_token");
    reg.sender_localpart = r.required_string(root, "sender_localpart");
    if (!reg.as_token.empty() && reg.as_token == reg.hs_token) {
        r.problem("hs_token", "must differ from as_token");
    }
    // Historical localparts are allowed: mautrix generates mixed-case random senders.
    if (!reg.sender_localpart.empty() &&
        !matrix::parse_user_id("@" + reg.sender_localpart + ":localhost")) {
        r.problem("sender_localpart", "'" + reg.sender_localpart + "' is not a valid localpart");
    }

    const YAML::Node url = root["url"];
    if (url.IsDefined() && !url.IsNull()) {
        if (!url.IsScalar()) {
            r.problem("url", "must be a string or null");
        } else if (!url.Scalar().empty()) {
            const std::string& text = url.Scalar();
            // "websocket": the bridge connects itself (fi.mau.as_sync), as bbctl writes it.
            if (text != "websocket" && !text.starts_with("http://") &&
                !text.starts_with("https://")) {
                r.problem("url", "'" + text + "' is not an http:// or https:// URL (or "
                                 "\"websocket\")");
            }
            reg.url = text;
        }
    }

    const YAML::Node namespaces = root["namespaces"];
    if (!namespaces.IsDefined() || namespaces.IsNull()) {
        r.problem("namespaces", "is required (a mapping with users, aliases and rooms)");
    } else if (!namespaces.IsMap()) {
        r.problem("namespaces", "must be a mapping with users, aliases and rooms");
    } else {
        reg.users = r.namespaces(namespaces, "users");
        reg.aliases = r.namespaces(namespaces, "aliases");
        reg.rooms = r.namespaces(namespaces, "rooms");
    }

    reg.rate_limited = r.optional_bool(root["rate_limited"], "rate_limited", false);
    const bool receive = r.optional_bool(root["receive_ephemeral"], "receive_ephemeral", false);
    const bool msc2409 = r.optional_bool(root["de.sorunome.msc2409.push_ephemeral"],
                                         "de.sorunome.msc2409.push_ephemeral", false);
    reg.receive_ephemeral = receive || msc2409;
    reg.msc3202 = r.optional_bool(root["org.matrix.msc3202"], "org.matrix.msc3202", false);

    const YAML::Node protocols = root["protocols"];
    if (protocols.IsDefined() && !protocols.IsNull()) {
        if (!protocols.IsSequence()) {
            r.problem("protocols", "must be a list of strings");
        } else {
            for (std::size_t i = 0; i < protocols.size(); ++i) {
                if (!protocols[i].IsScalar()) {
                    r.problem("protocols[" + std::to_string(i) + "]", "must be a string");
                } else {
                    reg.protocols.push_back(protocols[i].Scalar());
                }
            }
        }
    }
}

nlohmann::json namespaces_json(const std::vector<Namespace>& list)
{
    auto result = nlohmann::json::array();
    for (const auto& ns : list) {
        result.push_back({{"exclusive", ns.exclusive}, {"regex", ns.regex}});
    }
    return result;
}

} // namespace

ParseResult parse_registration_yaml(std::string_view text, std::string source,
                                    std::string_view default_id)
{
    Reader reader(source);
    auto reg = std::make_shared<Registration>();
    reg->source = source;
    bool syntax_error = true;
    try {
        const YAML::Node root = YAML::Load(std::string(text));
        if (!root.IsMap()) {
            reader.problems().push_back(source + ": a registration must be a mapping of keys to "
                                                 "values");
        } else {
            syntax_error = false;
            read_registration(reader, root, *reg, default_id);
        }
    } catch (const YAML::Exception& e) {
        reader.problems().push_back(source + ": YAML syntax error at line " +
                                    std::to_string(e.mark.line + 1) + ", column " +
                                    std::to_string(e.mark.column + 1) + ": " + e.msg);
    } catch (const std::exception& e) {
        reader.problems().push_back(source + ": cannot be parsed (" + e.what() + ")");
    }
    ParseResult result;
    result.problems = std::move(reader.problems());
    result.syntax_error = syntax_error && !result.problems.empty();
    if (result.problems.empty()) {
        result.registration = std::move(reg);
    }
    return result;
}

ParseResult parse_registration_file(const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        const int error = errno;
        return ParseResult{nullptr, {path + ": cannot be read (" + std::strerror(error) + ")"}};
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) {
        return ParseResult{nullptr, {path + ": cannot be read"}};
    }
    return parse_registration_yaml(text.str(), path);
}

nlohmann::json to_json(const Registration& registration)
{
    const Registration& r = registration;
    return {
        {"id", r.id},
        {"url", r.url ? nlohmann::json(*r.url) : nlohmann::json(nullptr)},
        {"as_token", r.as_token},
        {"hs_token", r.hs_token},
        {"sender_localpart", r.sender_localpart},
        {"namespaces",
         {{"users", namespaces_json(r.users)},
          {"aliases", namespaces_json(r.aliases)},
          {"rooms", namespaces_json(r.rooms)}}},
        {"rate_limited", r.rate_limited},
        {"receive_ephemeral", r.receive_ephemeral},
        {"de.sorunome.msc2409.push_ephemeral", r.receive_ephemeral},
        {"org.matrix.msc3202", r.msc3202},
        {"protocols", r.protocols},
    };
}

} // namespace ravenous::appservice
