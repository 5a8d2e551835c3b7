#include "bench/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ravenous::bench {
namespace {

constexpr std::uint64_t sub_buckets = std::uint64_t{1} << Histogram::sub_bucket_bits;

} // namespace

std::size_t Histogram::bucket_of(std::uint64_t value)
{
    value = std::min(value, highest_trackable);
    if (value < sub_buckets) {
        return static_cast<std::size_t>(value);
    }
    // value = mantissa << shift with mantissa in [sub_buckets, 2 * sub_buckets).
    const unsigned exponent = static_cast<unsigned>(std::bit_width(value)) - 1;
    const unsigned shift = exponent - sub_bucket_bits;
    const std::uint64_t mantissa = value >> shift;
    return static_cast<std::size_t>(sub_buckets + shift * sub_buckets + (mantissa - sub_buckets));
}

std::uint64_t Histogram::bucket_lowest(std::size_t bucket)
{
    if (bucket < sub_buckets) {
        return bucket;
    }
    const std::uint64_t shift = (bucket - sub_buckets) / sub_buckets;
    const std::uint64_t mantissa = (bucket - sub_buckets) % sub_buckets + sub_buckets;
    return mantissa << shift;
}

std::uint64_t Histogram::bucket_highest(std::size_t bucket)
{
    if (bucket < sub_buckets) {
        return bucket;
    }
    const std::uint64_t shift = (bucket - sub_buckets) / sub_buckets;
    return bucket_lowest(bucket) + (std::uint64_t{1} << shift) - 1;
}

std::size_t Histogram::bucket_count()
{
    return bucket_of(highest_trackable) + 1;
}

Histogram::Histogram() : counts_(bucket_count(), 0) {}

void Histogram::record(std::uint64_t value, std::uint64_t times)
{
    if (times == 0) {
        return;
    }
    value = std::min(value, highest_trackable);
    counts_[bucket_of(value)] += times;
    min_ = count_ == 0 ? value : std::min(min_, value);
    max_ = std::max(max_, value);
    count_ += times;
    sum_ += static_cast<long double>(value) * static_cast<long double>(times);
}

void Histogram::merge(const Histogram& other)
{
    if (other.count_ == 0) {
        return;
    }
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        counts_[i] += other.counts_[i];
    }
    min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    count_ += other.count_;
    sum_ += other.sum_;
}

void Histogram::reset()
{
    std::fill(counts_.begin(), counts_.end(), 0);
    count_ = min_ = max_ = 0;
    sum_ = 0;
}

double Histogram::mean() const
{
    return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t Histogram::percentile(double percentile) const
{
    if (count_ == 0) {
        return 0;
    }
    percentile = std::clamp(percentile, 0.0, 100.0);
    // The rank of the value asked for, 1-based: p50 of 10 values is the 5th.
    auto rank =
        static_cast<std::uint64_t>(std::ceil(percentile / 100.0 * static_cast<double>(count_)));
    rank = std::clamp<std::uint64_t>(rank, 1, count_);
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen += counts_[i];
        if (seen >= rank) {
            return std::clamp(bucket_highest(i), min_, max_);
        }
    }
    return max_;
}

LatencySummary summarize_us_as_ms(const Histogram& histogram)
{
    auto ms = [](std::uint64_t us) { return static_cast<double>(us) / 1000.0; };
    LatencySummary s;
    s.count = histogram.count();
    s.p50 = ms(histogram.percentile(50));
    s.p90 = ms(histogram.percentile(90));
    s.p99 = ms(histogram.percentile(99));
    s.max = ms(histogram.max());
    s.mean = histogram.mean() / 1000.0;
    return s;
}

} // namespace ravenous::bench
