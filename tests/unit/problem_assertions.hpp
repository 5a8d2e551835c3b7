#pragma once

// Assertions on the lists of problems that config and registration parsing return (each
// problem a message naming its key). The unit test targets link gtest without gmock.

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace ravenous::test {

inline std::string joined(const std::vector<std::string>& problems)
{
    std::string text;
    for (const auto& p : problems)
        text += "\n  " + p;
    return text.empty() ? " (none)" : text;
}

// Some problem contains every one of `parts`.
inline ::testing::AssertionResult has_problem(const std::vector<std::string>& problems,
                                              std::initializer_list<std::string_view> parts)
{
    for (const auto& p : problems) {
        if (std::all_of(parts.begin(), parts.end(),
                        [&](auto part) { return p.find(part) != std::string::npos; }))
            return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "no problem matching among:" << joined(problems);
}

inline ::testing::AssertionResult has_problem(const std::vector<std::string>& problems,
                                              std::string_view text)
{
    return has_problem(problems, {text});
}

} // namespace ravenous::test
