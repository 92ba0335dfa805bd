// Asio and Asio.SSL compiled once for the whole engine (BOOST_ASIO_SEPARATE_COMPILATION): every
// other translation unit includes only Asio's declarations, which keeps builds fast.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
// Beast (the web UI's server) likewise.
#include <boost/beast/src.hpp>
