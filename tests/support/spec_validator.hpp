#pragma once

// Checks responses against the Matrix spec's OpenAPI schemas. The schemas are compiled by a
// long-running `node tests/js/spec-validator.mjs <spec-dir>` child (ajv), spawned lazily, once
// per test process, and fed one JSON line per check. No GoogleTest here: failures found by the
// HttpClient's automatic validation go to a replaceable handler (support/spec_assert.hpp installs
// one that raises a GoogleTest failure; the default throws std::runtime_error).
//
// Spec directory: env RAVENOUS_MATRIX_SPEC, else <source>/../shared/matrix-spec, else
// /work/shared/matrix-spec. If node, tests/js/node_modules or the spec are missing, every check
// fails with "run npm ci in tests/js" when the CI environment variable is set; otherwise checks
// pass and one warning is printed on stderr.

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace ravenous::test {

struct HttpResponse;

struct SpecCheck
{
    bool ok = true;
    std::string message;         // the errors when !ok; why nothing was checked when skipped
    bool schema_applied = false; // a documented JSON schema was validated against the body
    bool endpoint_known = false; // the spec documents this method + path
    bool unavailable = false;    // the validator is missing or broken (see the file comment)
};

class SpecValidator
{
public:
    static SpecValidator& instance();

    // Validates `body` as the response of `method path` with `status`. `path` has no query.
    // `body` may be a discarded json (nlohmann::json::value_t::discarded) for a non-JSON body:
    // that is an error where the spec documents a JSON schema for the status.
    SpecCheck validate(std::string_view method, std::string_view path, int status,
                       const nlohmann::json& body);

    // False when the validator could not be started (see the file comment).
    bool available();

    ~SpecValidator();
    SpecValidator(const SpecValidator&) = delete;
    SpecValidator& operator=(const SpecValidator&) = delete;

private:
    SpecValidator();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The whole check of one received response: strips the query from `target`, parses the body
// when it is JSON, validates it, and for error statuses (>= 400) on /_matrix/ paths without a
// documented schema, checks the generic error shape {errcode, error} (see error_shape_problem).
SpecCheck check_response(std::string_view method, std::string_view target,
                         const HttpResponse& response);

// Empty when `body` is a Matrix error object: errcode a string "M_..." or a namespaced custom
// code ("COM.EXAMPLE.MY_ERROR"), error a string; otherwise what is wrong.
std::string error_shape_problem(const nlohmann::json& body);

// Where automatic validation reports a mismatch. The default throws std::runtime_error.
using SpecFailureHandler = std::function<void(const std::string& message)>;
void set_spec_failure_handler(SpecFailureHandler handler);

// check_response, then the failure handler with a full message if it is not ok.
void check_and_report(std::string_view method, std::string_view target,
                      const HttpResponse& response);

} // namespace ravenous::test
