#include "random.h"

#include <cmath>

#include "../../runtime/thread_pool.h"

namespace tg {
namespace {

constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
constexpr int64_t kBlocksPerTask = 1 << 13;

inline void mulhilo(uint32_t a, uint32_t b, uint32_t* hi, uint32_t* lo) {
  const uint64_t p = static_cast<uint64_t>(a) * b;
  *hi = static_cast<uint32_t>(p >> 32);
  *lo = static_cast<uint32_t>(p);
}

// Calls emit(block_index, bits[4]) for every counter block covering n values, in parallel.
template <typename Emit>
void for_blocks(const Philox& g, int64_t n, Emit emit) {
  const int64_t blocks = static_cast<int64_t>(philox_blocks(n));
  const int64_t tasks = (blocks + kBlocksPerTask - 1) / kBlocksPerTask;
  parallel_for(tasks, [&](int64_t t) {
    const int64_t b0 = t * kBlocksPerTask;
    const int64_t b1 = b0 + kBlocksPerTask < blocks ? b0 + kBlocksPerTask : blocks;
    uint32_t bits[4];
    for (int64_t b = b0; b < b1; ++b) {
      const uint64_t c = g.counter + static_cast<uint64_t>(b);
      const uint32_t ctr[4] = {static_cast<uint32_t>(c), static_cast<uint32_t>(c >> 32), 0, 0};
      philox4x32(g.key, ctr, bits);
      emit(b, bits);
    }
  });
}

inline float unit24(uint32_t x) { return static_cast<float>(x >> 8) * (1.0f / 16777216.0f); }

}  // namespace

void philox4x32(const uint32_t key[2], const uint32_t ctr[4], uint32_t out[4]) {
  uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
  uint32_t k0 = key[0], k1 = key[1];
  for (int round = 0; round < 10; ++round) {
    uint32_t hi0, lo0, hi1, lo1;
    mulhilo(kMul0, c0, &hi0, &lo0);
    mulhilo(kMul1, c2, &hi1, &lo1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += kWeyl0;
    k1 += kWeyl1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

void random_uniform_f32(const Philox& g, float low, float high, float* out, int64_t n) {
  const float span = high - low;
  for_blocks(g, n, [&](int64_t b, const uint32_t* bits) {
    for (int j = 0; j < 4 && b * 4 + j < n; ++j) out[b * 4 + j] = low + span * unit24(bits[j]);
  });
}

void random_normal_f32(const Philox& g, float mean, float std, float* out, int64_t n) {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  for_blocks(g, n, [&](int64_t b, const uint32_t* bits) {
    for (int pair = 0; pair < 2; ++pair) {
      // u1 in (0, 1] keeps the log finite.
      const double u1 = (static_cast<double>(bits[2 * pair]) + 1.0) * (1.0 / 4294967296.0);
      const double u2 = static_cast<double>(bits[2 * pair + 1]) * (1.0 / 4294967296.0);
      const double r = std::sqrt(-2.0 * std::log(u1));
      const int64_t i = b * 4 + 2 * pair;
      if (i < n) out[i] = static_cast<float>(mean + std * r * std::cos(kTwoPi * u2));
      if (i + 1 < n) out[i + 1] = static_cast<float>(mean + std * r * std::sin(kTwoPi * u2));
    }
  });
}

void random_int_i32(const Philox& g, int32_t low, uint32_t range, int32_t* out, int64_t n) {
  for_blocks(g, n, [&](int64_t b, const uint32_t* bits) {
    for (int j = 0; j < 4 && b * 4 + j < n; ++j) {
      // Multiply-shift maps 32 bits onto [0, range); the bias is below range / 2^32.
      const uint32_t r = static_cast<uint32_t>((static_cast<uint64_t>(bits[j]) * range) >> 32);
      out[b * 4 + j] = static_cast<int32_t>(static_cast<uint32_t>(low) + r);
    }
  });
}

void random_bernoulli_f32(const Philox& g, float p, float* out, int64_t n) {
  for_blocks(g, n, [&](int64_t b, const uint32_t* bits) {
    for (int j = 0; j < 4 && b * 4 + j < n; ++j) out[b * 4 + j] = unit24(bits[j]) < p ? 1.0f : 0.0f;
  });
}

}  // namespace tg
