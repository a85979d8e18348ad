// Counter-based random numbers (Philox4x32-10, as in Random123 and PyTorch): the value at a
// position depends only on the key and the position, so any thread can fill any part of a
// buffer and the result is the same for every thread count.
#pragma once

#include <cstdint>

namespace tg {

struct Philox {
  uint32_t key[2];
  uint64_t counter;  // block index of out[0]: out[i] comes from block counter + i / 4
};

// Philox4x32-10 of one 128-bit counter: 4 x 32 random bits.
void philox4x32(const uint32_t key[2], const uint32_t ctr[4], uint32_t out[4]);

// Uniform in [low, high): 24 random bits per value.
void random_uniform_f32(const Philox& g, float low, float high, float* out, int64_t n);
// Normal(mean, std) by Box-Muller, in double precision, one pair per two 32-bit draws.
void random_normal_f32(const Philox& g, float mean, float std, float* out, int64_t n);
// Integers in [low, low + range), range >= 1.
void random_int_i32(const Philox& g, int32_t low, uint32_t range, int32_t* out, int64_t n);
// 1 with probability p, else 0 (as float: masks multiply activations).
void random_bernoulli_f32(const Philox& g, float p, float* out, int64_t n);

// Counter blocks that n values consume.
inline uint64_t philox_blocks(int64_t n) { return static_cast<uint64_t>((n + 3) / 4); }

}  // namespace tg
