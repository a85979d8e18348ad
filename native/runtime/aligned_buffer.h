// A growable scratch buffer with cache-line alignment, kept per thread by the kernels that pack
// data (GEMM panels), so that no call pays for allocation and page faults more than once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace tg {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  ~AlignedBuffer() { std::free(data_); }

  // At least n floats, 64-byte aligned; the contents are not kept when it grows.
  float* floats(size_t n) {
    if (n > capacity_) {
      // A count whose bytes would wrap size_t (padding far larger than an image) is refused.
      if (n > (SIZE_MAX - 63) / sizeof(float)) throw std::bad_alloc();
      std::free(data_);
      const size_t bytes = ((n * sizeof(float) + 63) / 64) * 64;
      data_ = static_cast<float*>(std::aligned_alloc(64, bytes));
      if (!data_) {
        capacity_ = 0;
        throw std::bad_alloc();
      }
      capacity_ = n;
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

}  // namespace tg
