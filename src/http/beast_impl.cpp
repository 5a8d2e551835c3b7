// The one translation unit that compiles Boost.Beast (BOOST_BEAST_SEPARATE_COMPILATION is
// defined for the whole build); every other file includes Beast's headers only.
//
// GCC 12 with -fsanitize reports a false -Wmaybe-uninitialized on boost::optional inside
// Beast's parser; it is Boost's code, not ours, so the warning is silenced here only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/src.hpp>
#pragma GCC diagnostic pop
