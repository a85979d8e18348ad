{
  "includes": ["native/sources.gypi"],
  "target_defaults": {
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
    "cflags_cc": ["-std=c++17", "-fexceptions", "-fPIC", "-fvisibility=hidden", "<@(tg_flags_kernels)"],
    "defines": ["NAPI_VERSION=8", "TG_BUILD_SYSTEM=\"node-gyp\""],
    "xcode_settings": {
      "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
      "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
      "MACOSX_DEPLOYMENT_TARGET": "11.0"
    },
    "conditions": [
      ["target_arch=='x64'", { "defines": ["TG_X86_SIMD=1"] }]
    ]
  },
  "targets": [
    {
      "target_name": "tensorgrad",
      "sources": ["<@(tg_sources)"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NODE_ADDON_API_CPP_EXCEPTIONS", "NODE_ADDON_API_CPP_EXCEPTIONS_ALL", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "conditions": [
        ["target_arch=='x64'", { "dependencies": ["tensorgrad_avx2", "tensorgrad_avx512"] }]
      ]
    }
  ],
  "conditions": [
    ["target_arch=='x64'", {
      "targets": [
        {
          "target_name": "tensorgrad_avx2",
          "type": "static_library",
          "sources": ["<@(tg_sources_avx2)"],
          "cflags_cc": ["<@(tg_flags_avx2)"]
        },
        {
          "target_name": "tensorgrad_avx512",
          "type": "static_library",
          "sources": ["<@(tg_sources_avx512)"],
          "cflags_cc": ["<@(tg_flags_avx512)"]
        }
      ]
    }]
  ]
}
