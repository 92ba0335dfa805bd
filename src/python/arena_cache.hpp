// Python's arena allocator with a cache of freed blocks.
//
// CPython 3.11 gives every new greenlet's first frame a fresh 16 KiB "data stack" chunk from its
// arena allocator, which maps it with mmap; greenlet unmaps it when the greenlet ends. Hornet
// runs each task in a new greenlet, so by default every task paid an mmap, a munmap (with its
// TLB shootdown) and the page faults of touching new memory: most of a plain GET's CPU time
// (bench/RESULTS.md). This allocator keeps freed small blocks for reuse instead.
#pragma once

namespace hornet::python {

/// Installs the caching arena allocator. Call before Py_Initialize (it also works later: blocks
/// allocated before are unmapped as usual when freed). Every call into it holds the GIL.
void install_arena_cache();

}  // namespace hornet::python
