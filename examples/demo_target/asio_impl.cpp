// Asio, Asio's TLS and Beast are built with separate compilation (see hornet_asio_config): their
// implementation is compiled once per executable, here for hornet-demo.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
