#include "bench/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace ravenous::bench {
namespace {

TEST(Histogram, EmptyReportsZeros)
{
    Histogram h;
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.percentile(50), 0u);
    EXPECT_EQ(h.max(), 0u);
    EXPECT_EQ(h.min(), 0u);
    EXPECT_EQ(h.mean(), 0.0);
}

TEST(Histogram, SmallValuesAreExact)
{
    Histogram h;
    for (std::uint64_t v = 1; v <= 100; ++v) {
        h.record(v);
    }
    EXPECT_EQ(h.count(), 100u);
    EXPECT_EQ(h.percentile(50), 50u);
    EXPECT_EQ(h.percentile(90), 90u);
    EXPECT_EQ(h.percentile(99), 99u);
    EXPECT_EQ(h.percentile(100), 100u);
    EXPECT_EQ(h.percentile(0), 1u);
    EXPECT_EQ(h.min(), 1u);
    EXPECT_EQ(h.max(), 100u);
    EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(Histogram, BucketsCoverEveryValueOnceAndInOrder)
{
    for (std::size_t b = 0; b + 1 < Histogram::bucket_count(); ++b) {
        ASSERT_EQ(Histogram::bucket_highest(b) + 1, Histogram::bucket_lowest(b + 1)) << b;
        ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_lowest(b)), b);
        ASSERT_EQ(Histogram::bucket_of(Histogram::bucket_highest(b)), b);
    }
    EXPECT_EQ(Histogram::bucket_highest(Histogram::bucket_count() - 1),
              Histogram::highest_trackable);
}

TEST(Histogram, LargeValuesWithinRelativePrecision)
{
    // Log-normal latencies from 1 µs to minutes, against the exact order statistics.
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(8.0, 2.5);
    std::vector<std::uint64_t> values;
    Histogram h;
    for (int i = 0; i < 100'000; ++i) {
        auto v = static_cast<std::uint64_t>(dist(rng)) + 1;
        values.push_back(v);
        h.record(v);
    }
    std::sort(values.begin(), values.end());
    for (double p : {50.0, 90.0, 99.0, 99.9}) {
        const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
        const double exact = static_cast<double>(values[rank - 1]);
        const double got = static_cast<double>(h.percentile(p));
        EXPECT_GE(got, exact) << "p" << p;
        EXPECT_LE(got, exact * (1.0 + 1.0 / 128.0)) << "p" << p;
    }
    EXPECT_EQ(h.max(), values.back());
    EXPECT_EQ(h.percentile(100), values.back());
}

TEST(Histogram, PercentileNeverExceedsMax)
{
    Histogram h;
    h.record(1'000'001); // in a bucket whose highest value is above it
    EXPECT_EQ(h.percentile(50), 1'000'001u);
}

TEST(Histogram, HugeValuesAreClamped)
{
    Histogram h;
    h.record(~std::uint64_t{0});
    EXPECT_EQ(h.max(), Histogram::highest_trackable);
}

TEST(Histogram, MergeEqualsRecordingEverything)
{
    Histogram a, b, all;
    for (std::uint64_t v = 1; v < 5000; v += 7) {
        (v % 2 ? a : b).record(v * 13);
        all.record(v * 13);
    }
    a.merge(b);
    EXPECT_EQ(a.count(), all.count());
    EXPECT_EQ(a.min(), all.min());
    EXPECT_EQ(a.max(), all.max());
    for (double p : {1.0, 50.0, 90.0, 99.0}) {
        EXPECT_EQ(a.percentile(p), all.percentile(p));
    }
}

TEST(Histogram, RecordManyTimesAndReset)
{
    Histogram h;
    h.record(10, 9);
    h.record(1000, 1);
    EXPECT_EQ(h.count(), 10u);
    EXPECT_EQ(h.percentile(90), 10u);
    EXPECT_EQ(h.percentile(91), 1000u);
    h.reset();
    EXPECT_EQ(h.count(), 0u);
    EXPECT_EQ(h.max(), 0u);
}

TEST(Histogram, SummaryInMilliseconds)
{
    Histogram h;
    for (std::uint64_t us = 1000; us <= 100'000; us += 1000) {
        h.record(us);
    }
    auto s = summarize_us_as_ms(h);
    EXPECT_EQ(s.count, 100u);
    EXPECT_NEAR(s.p50, 50.0, 0.5);
    EXPECT_NEAR(s.p99, 99.0, 1.0);
    EXPECT_DOUBLE_EQ(s.max, 100.0);
}

} // namespace
} // namespace ravenous::bench
