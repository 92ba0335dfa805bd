#include "python/arena_cache.hpp"

#include <sys/mman.h>

#include <cstddef>
#include <vector>

#include "python/py.hpp"

namespace hornet::python {
namespace {

// Blocks up to this size are kept (data stack chunks; pymalloc's 1 MiB arenas are not).
constexpr std::size_t kLargestCached = 64 * 1024;
// At most this many bytes kept in all: enough for the greenlets of thousands of users in
// their tasks at once, little next to what those users hold.
constexpr std::size_t kCacheBytes = 32 * 1024 * 1024;

// Free blocks by size; the GIL serialises every call.
struct Cache {
  struct Bucket {
    std::size_t size = 0;
    std::vector<void*> blocks;
  };
  std::vector<Bucket> buckets;
  std::size_t bytes = 0;

  std::vector<void*>& blocks_of(std::size_t size) {
    for (Bucket& bucket : buckets) {
      if (bucket.size == size) return bucket.blocks;
    }
    buckets.push_back({size, {}});
    return buckets.back().blocks;
  }
};

void* allocate(void* context, std::size_t size) {
  auto& cache = *static_cast<Cache*>(context);
  if (size <= kLargestCached) {
    std::vector<void*>& blocks = cache.blocks_of(size);
    if (!blocks.empty()) {
      void* block = blocks.back();
      blocks.pop_back();
      cache.bytes -= size;
      return block;
    }
  }
  void* block = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return block == MAP_FAILED ? nullptr : block;
}

void release(void* context, void* block, std::size_t size) {
  auto& cache = *static_cast<Cache*>(context);
  if (size <= kLargestCached && cache.bytes + size <= kCacheBytes) {
    cache.blocks_of(size).push_back(block);
    cache.bytes += size;
    return;
  }
  munmap(block, size);
}

}  // namespace

void install_arena_cache() {
  static Cache cache;  // lives as long as the interpreter (the process)
  PyObjectArenaAllocator allocator{&cache, &allocate, &release};
  PyObject_SetArenaAllocator(&allocator);
}

}  // namespace hornet::python
