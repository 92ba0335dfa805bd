// libhornet.so's own translation unit: the library's content is the layers' archives, linked
// whole (src/CMakeLists.txt). A shared library target needs at least one source of its own.
