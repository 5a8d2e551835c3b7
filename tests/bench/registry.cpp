#include "bench/scenario.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace ravenous::bench {
namespace {

// A function-local static: registrars run during static initialisation, in any order.
std::vector<ScenarioFactory>& factories()
{
    static std::vector<ScenarioFactory> list;
    return list;
}

} // namespace

void register_scenario(ScenarioFactory factory)
{
    factories().push_back(std::move(factory));
}

std::vector<std::unique_ptr<Scenario>> all_scenarios()
{
    std::vector<std::unique_ptr<Scenario>> out;
    for (const auto& make : factories()) {
        out.push_back(make());
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        if (a->is_ceiling() != b->is_ceiling()) {
            return a->is_ceiling();
        }
        return a->name() < b->name();
    });
    return out;
}

std::vector<PlannedScenario> plan_run(const std::vector<std::string>& requested,
                                      const std::vector<std::unique_ptr<Scenario>>& available)
{
    auto find = [&](std::string_view name) -> const Scenario* {
        for (const auto& s : available) {
            if (s->name() == name) {
                return s.get();
            }
        }
        return nullptr;
    };
    std::set<std::string, std::less<>> wanted;
    std::set<std::string, std::less<>> needed;
    for (const auto& name : requested) {
        const Scenario* s = find(name);
        if (s == nullptr) {
            throw std::invalid_argument("unknown scenario '" + name + "' (see --list)");
        }
        wanted.insert(name);
        if (!s->bound_by().empty()) {
            if (find(s->bound_by()) == nullptr) {
                throw std::invalid_argument("scenario '" + name + "' is bound by '" +
                                            std::string(s->bound_by()) + "', which is not built");
            }
            needed.emplace(s->bound_by());
        }
    }
    std::vector<PlannedScenario> plan;
    for (const auto& s : available) {
        if (requested.empty() || wanted.contains(s->name())) {
            plan.push_back({std::string(s->name()), true});
        } else if (needed.contains(s->name())) {
            plan.push_back({std::string(s->name()), false});
        }
    }
    return plan;
}

} // namespace ravenous::bench
