// How glibc's malloc is asked to keep freed tensor memory for reuse.
#pragma once

namespace tg {

// Once per process, on glibc: large blocks (up to 32 MiB) come from the heap instead of fresh
// mmaps, and the heap is not trimmed below 256 MiB. A tensor buffer freed by the garbage
// collector is then reused by the next one of its size, instead of the next one paying a page
// fault per 4 KiB (about a millisecond per megabyte here). TENSORGRAD_MALLOC_TUNING=0 leaves
// malloc alone. Returns whether the settings were applied.
bool tune_malloc_once();

}  // namespace tg
