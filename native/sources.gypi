{
  "variables": {
    "tg_sources_note": "The one list of native sources, relative to the package root. binding.gyp includes this file; CMakeLists.txt parses it as JSON.",
    "tg_sources": [
      "native/binding/addon.cc",
      "native/binding/args.cc",
      "native/binding/batch_norm.cc",
      "native/binding/conv.cc",
      "native/binding/elementwise.cc",
      "native/binding/layout.cc",
      "native/binding/linalg.cc",
      "native/binding/nn.cc",
      "native/binding/optim.cc",
      "native/binding/pool.cc",
      "native/binding/random.cc",
      "native/binding/reduce.cc",
      "native/binding/runtime.cc",
      "native/binding/unary.cc",
      "native/binding/window_args.cc",
      "native/kernels/cpu/arg_reduce.cc",
      "native/kernels/cpu/avg_pool.cc",
      "native/kernels/cpu/batch_norm.cc",
      "native/kernels/cpu/binary.cc",
      "native/kernels/cpu/broadcast.cc",
      "native/kernels/cpu/compare.cc",
      "native/kernels/cpu/conv.cc",
      "native/kernels/cpu/conv_backward_input.cc",
      "native/kernels/cpu/conv_backward_weight.cc",
      "native/kernels/cpu/conv_direct.cc",
      "native/kernels/cpu/conv_direct_weight.cc",
      "native/kernels/cpu/conv_gemm.cc",
      "native/kernels/cpu/cross_entropy.cc",
      "native/kernels/cpu/gemm.cc",
      "native/kernels/cpu/isa_generic.cc",
      "native/kernels/cpu/isa_select.cc",
      "native/kernels/cpu/layout.cc",
      "native/kernels/cpu/matmul.cc",
      "native/kernels/cpu/max_pool.cc",
      "native/kernels/cpu/optim.cc",
      "native/kernels/cpu/random.cc",
      "native/kernels/cpu/reduce.cc",
      "native/kernels/cpu/reduce_plan.cc",
      "native/kernels/cpu/softmax.cc",
      "native/kernels/cpu/unary.cc",
      "native/runtime/cpu_features.cc",
      "native/runtime/malloc_tuning.cc",
      "native/runtime/thread_pool.cc"
    ],
    "tg_sources_avx2": [
      "native/kernels/cpu/isa_avx2.cc"
    ],
    "tg_sources_avx512": [
      "native/kernels/cpu/isa_avx512.cc"
    ],
    "tg_flags_avx2": [
      "-mavx2",
      "-mfma",
      "-mf16c"
    ],
    "tg_flags_avx512": [
      "-mavx512f",
      "-mavx512bw",
      "-mavx512dq",
      "-mavx512vl",
      "-mavx2",
      "-mfma",
      "-mf16c"
    ],
    "tg_flags_kernels": [
      "-O3",
      "-ffp-contract=fast",
      "-fno-math-errno",
      "-fno-trapping-math"
    ]
  }
}
