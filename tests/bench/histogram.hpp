#pragma once

// A log-linear (HDR-style) histogram of non-negative integer values, here latencies in µs.
// Values below 2^sub_bucket_bits are counted exactly; above, each power of two is split into
// 2^sub_bucket_bits equal buckets, so a reported percentile is within 1/128 (0.8 %) of the
// recorded value whatever its magnitude, in a fixed 35 KiB. Percentiles are read from the
// counts, not from samples: every recorded value is in them.

#include <cstdint>
#include <vector>

namespace ravenous::bench {

class Histogram
{
public:
    static constexpr unsigned sub_bucket_bits = 7;
    // Values above this (2^40 µs, about 12 days) are counted as this.
    static constexpr std::uint64_t highest_trackable = (std::uint64_t{1} << 40) - 1;

    Histogram();

    void record(std::uint64_t value, std::uint64_t times = 1);
    void merge(const Histogram& other);
    void reset();

    std::uint64_t count() const { return count_; }
    std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
    std::uint64_t max() const { return max_; }
    double mean() const;

    // The smallest recorded-bucket value v such that at least `percentile` % of the values are
    // <= v (HDR's "highest equivalent value" of that bucket, never above max()). 0 when empty.
    // percentile in [0, 100]; 100 gives max().
    std::uint64_t percentile(double percentile) const;

    // The bucket a value falls in, and the range [lowest, highest] of values it holds.
    static std::size_t bucket_of(std::uint64_t value);
    static std::uint64_t bucket_lowest(std::size_t bucket);
    static std::uint64_t bucket_highest(std::size_t bucket);
    static std::size_t bucket_count();

private:
    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    std::uint64_t min_ = 0;
    std::uint64_t max_ = 0;
    long double sum_ = 0;
};

// The figures the report prints for a histogram.
struct LatencySummary
{
    std::uint64_t count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
};

// Summary of a histogram of µs values, expressed in milliseconds.
LatencySummary summarize_us_as_ms(const Histogram& histogram);

} // namespace ravenous::bench
