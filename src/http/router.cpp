#include "ravenous/http/router.hpp"

#include "ravenous/util/encoding.hpp"

#include <algorithm>
#include <stdexcept>

namespace ravenous::http {

namespace {

constexpr std::string_view client_v3 = "/_matrix/client/v3/";
constexpr std::string_view client_r0 = "/_matrix/client/r0/";

// "/a/b/" -> {"a", "b", ""}; "/" -> {""}. The path starts with '/'.
std::vector<std::string_view> split_path(std::string_view path)
{
    std::vector<std::string_view> segments;
    std::size_t start = 1;
    for (;;) {
        const auto slash = path.find('/', start);
        if (slash == std::string_view::npos) {
            segments.push_back(path.substr(start));
            return segments;
        }
        segments.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
}

bool is_param_segment(std::string_view segment)
{
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

void add_method(std::vector<Method>& methods, Method method)
{
    if (std::find(methods.begin(), methods.end(), method) == methods.end())
        methods.push_back(method);
}

} // namespace

void Router::add(Route route)
{
    if (route.path_template.empty() || route.path_template.front() != '/')
        throw std::invalid_argument("route template must start with '/': " + route.path_template);
    if (!route.handler)
        throw std::invalid_argument("route without handler: " + route.path_template);

    const std::size_t index = routes_.size();
    auto compile = [&](std::string_view path_template) {
        Compiled compiled;
        compiled.route_index = index;
        for (const auto segment : split_path(path_template)) {
            const bool param = is_param_segment(segment);
            compiled.segments.emplace_back(param ? segment.substr(1, segment.size() - 2) : segment);
            compiled.is_param.push_back(param);
        }
        compiled_.push_back(std::move(compiled));
    };
    compile(route.path_template);
    const std::string_view path_template = route.path_template;
    if (route.legacy_r0 && path_template.starts_with(client_v3))
        compile(std::string{client_r0} + std::string{path_template.substr(client_v3.size())});

    largest_body_ = std::max(largest_body_, route.max_body);
    routes_.push_back(std::move(route));
}

Router::Match Router::match(Method method, std::string_view path) const
{
    Match result;
    if (path.empty() || path.front() != '/')
        return result;
    const auto segments = split_path(path);

    auto fits = [&](const Compiled& compiled) {
        if (compiled.segments.size() != segments.size())
            return false;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (!compiled.is_param[i] && compiled.segments[i] != segments[i])
                return false;
        }
        return true;
    };
    // Leftmost literal-versus-parameter difference decides; otherwise the first added wins.
    auto more_specific = [](const Compiled* best, const Compiled& candidate) {
        if (best == nullptr)
            return true;
        for (std::size_t i = 0; i < candidate.is_param.size(); ++i) {
            if (candidate.is_param[i] != best->is_param[i])
                return !candidate.is_param[i];
        }
        return false;
    };

    const Compiled* exact = nullptr;
    const Compiled* get_for_head = nullptr;
    for (const auto& compiled : compiled_) {
        if (!fits(compiled))
            continue;
        const Method route_method = routes_[compiled.route_index].method;
        add_method(result.allowed, route_method);
        if (route_method == method && more_specific(exact, compiled))
            exact = &compiled;
        else if (method == Method::HEAD && route_method == Method::GET &&
                 more_specific(get_for_head, compiled))
            get_for_head = &compiled;
    }
    if (std::find(result.allowed.begin(), result.allowed.end(), Method::GET) !=
        result.allowed.end())
        add_method(result.allowed, Method::HEAD);

    const Compiled* chosen = exact != nullptr ? exact : get_for_head;
    if (chosen == nullptr) {
        result.outcome = result.allowed.empty() ? Outcome::not_found : Outcome::method_not_allowed;
        return result;
    }

    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (!chosen->is_param[i])
            continue;
        auto decoded = percent_decode(segments[i]);
        if (!decoded || !util::is_valid_utf8(*decoded)) {
            result.outcome = Outcome::bad_path;
            result.params.clear();
            return result;
        }
        result.params.emplace_back(chosen->segments[i], std::move(*decoded));
    }
    result.outcome = Outcome::found;
    result.route = &routes_[chosen->route_index];
    return result;
}

} // namespace ravenous::http
