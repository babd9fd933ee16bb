//! The heap allocator of the npm package's wasm.
//!
//! Rust's default allocator on `wasm32-unknown-unknown` is dlmalloc, about 8 KB of
//! wasm; the package's budget is 160 KB gzipped, and the kernel model is what should
//! fill it. This allocator is a fraction of that size and fits how the simulator
//! uses memory: many small objects of a few sizes (events, strings, map nodes) and a
//! few large arrays (the page array, the LRU records) that are made once per boot.
//!
//! - **Small blocks** (up to 32 KiB): one free list per power-of-two size class,
//!   threaded through the free blocks; new blocks are cut from 64 KiB chunks, each
//!   block aligned to its own size.
//! - **Large blocks**: whole 64 KiB pages, from an address-ordered free list whose
//!   neighbours merge when freed; the heap grows with `memory.grow` when no free run
//!   is long enough (extending the last free run if it ends at the top).
//!
//! The logic is written over a [`Memory`] that can grow, so the tests run it natively
//! over an ordinary buffer.

#![cfg_attr(not(test), no_std)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// A wasm page: the unit linear memory grows by.
pub const PAGE: usize = 64 << 10;
/// The largest small size class.
const SMALL_MAX: usize = 32 << 10;
/// Size classes 8, 16, ..., 32 KiB.
const CLASSES: usize = 13;

/// Linear memory that can grow by whole pages.
pub trait Memory {
    /// Grows by `pages` pages; returns the address of the first new byte, or None if
    /// memory cannot grow.
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// The allocator's state.
pub struct Heap<M> {
    mem: M,
    /// Head of each small class's free list (0: empty).
    small: [usize; CLASSES],
    /// The chunk small blocks are being cut from: next free byte and end.
    bump: usize,
    bump_end: usize,
    /// Head of the large free list (0: empty), in address order. A free run holds
    /// its length in bytes and the next run's address in its first two words.
    large: usize,
}

/// The size class of a request, if it is small: log2 of the block size, minus 3.
fn class(layout: Layout) -> Option<usize> {
    let need = layout.size().max(layout.align()).max(8).next_power_of_two();
    (need <= SMALL_MAX).then(|| need.trailing_zeros() as usize - 3)
}

/// A large request's length: whole pages.
fn pages_len(size: usize) -> usize {
    size.div_ceil(PAGE) * PAGE
}

impl<M: Memory> Heap<M> {
    /// An empty heap over `mem`.
    pub const fn new(mem: M) -> Heap<M> {
        Heap {
            mem,
            small: [0; CLASSES],
            bump: 0,
            bump_end: 0,
            large: 0,
        }
    }

    /// Reads word `i` of the free block at `addr`.
    ///
    /// # Safety
    /// `addr` must be a free block this heap owns, at least `8 * (i + 1)` bytes long.
    unsafe fn word(addr: usize, i: usize) -> usize {
        // SAFETY: the caller guarantees the block is ours, free and long enough, and
        // blocks are at least 8-aligned.
        unsafe { (addr as *const usize).add(i).read() }
    }

    /// Writes word `i` of the free block at `addr`.
    ///
    /// # Safety
    /// As [`Heap::word`].
    unsafe fn set_word(addr: usize, i: usize, v: usize) {
        // SAFETY: as in `word`.
        unsafe { (addr as *mut usize).add(i).write(v) }
    }

    /// Allocates a block for `layout`; null if memory is exhausted.
    ///
    /// # Safety
    /// `layout` must have a non-zero size.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        match class(layout) {
            // SAFETY: forwarded.
            Some(c) => unsafe { self.alloc_small(c) },
            None if layout.align() <= PAGE => {
                // SAFETY: forwarded.
                unsafe { self.alloc_large(pages_len(layout.size())) as *mut u8 }
            }
            None => core::ptr::null_mut(),
        }
    }

    /// Frees a block [`Heap::alloc`] returned for `layout`.
    ///
    /// # Safety
    /// `ptr` must come from `alloc` with this `layout`, and not be freed already.
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        let addr = ptr as usize;
        match class(layout) {
            Some(c) => {
                // SAFETY: the block is ours and at least 8 bytes (the smallest class).
                unsafe { Self::set_word(addr, 0, self.small[c]) };
                self.small[c] = addr;
            }
            // SAFETY: forwarded.
            None => unsafe { self.free_large(addr, pages_len(layout.size())) },
        }
    }

    /// Resizes a block; in place when the new size needs the same class or the
    /// same number of pages.
    ///
    /// # Safety
    /// As `dealloc` for `ptr` and `layout`; `new_size` must be non-zero.
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new) = Layout::from_size_align(new_size, layout.align()) else {
            return core::ptr::null_mut();
        };
        let same = match (class(layout), class(new)) {
            (Some(a), Some(b)) => a == b,
            (None, None) => pages_len(layout.size()) == pages_len(new_size),
            _ => false,
        };
        if same {
            return ptr;
        }
        // SAFETY: `new` has a non-zero size.
        let to = unsafe { self.alloc(new) };
        if !to.is_null() {
            // SAFETY: both blocks are ours, distinct, and at least this long.
            unsafe { core::ptr::copy_nonoverlapping(ptr, to, layout.size().min(new_size)) };
            // SAFETY: forwarded from the caller.
            unsafe { self.dealloc(ptr, layout) };
        }
        to
    }

    /// A block of class `c` (size `8 << c`), from its free list or cut from a chunk.
    unsafe fn alloc_small(&mut self, c: usize) -> *mut u8 {
        let head = self.small[c];
        if head != 0 {
            // SAFETY: a free block of this class, which holds its successor.
            self.small[c] = unsafe { Self::word(head, 0) };
            return head as *mut u8;
        }
        let size = 8usize << c;
        let mut at = self.bump.next_multiple_of(size);
        if self.bump == 0 || at + size > self.bump_end {
            // A new chunk (the rest of the old one is not reused).
            // SAFETY: forwarded.
            let chunk = unsafe { self.alloc_large(PAGE) };
            if chunk == 0 {
                return core::ptr::null_mut();
            }
            self.bump_end = chunk + PAGE;
            at = chunk;
        }
        self.bump = at + size;
        at as *mut u8
    }

    /// `len` bytes (whole pages) from the first free run long enough, or from new
    /// pages. Returns 0 if memory cannot grow.
    unsafe fn alloc_large(&mut self, len: usize) -> usize {
        let (mut prev, mut cur) = (0usize, self.large);
        while cur != 0 {
            // SAFETY: `cur` is a free run on our list.
            let (run, next) = unsafe { (Self::word(cur, 0), Self::word(cur, 1)) };
            if run >= len {
                let rest = run - len;
                let after = if rest == 0 {
                    next
                } else {
                    let tail = cur + len;
                    // SAFETY: the tail is part of the free run, at least a page.
                    unsafe {
                        Self::set_word(tail, 0, rest);
                        Self::set_word(tail, 1, next);
                    }
                    tail
                };
                if prev == 0 {
                    self.large = after;
                } else {
                    // SAFETY: `prev` is a free run on our list.
                    unsafe { Self::set_word(prev, 1, after) };
                }
                return cur;
            }
            (prev, cur) = (cur, next);
        }
        // Nothing long enough: if the last run ends where memory ends, grow it.
        let last = prev;
        let last_len = if last == 0 {
            0
        } else {
            // SAFETY: `last` is a free run on our list.
            unsafe { Self::word(last, 0) }
        };
        let Some(start) = self.mem.grow((len - last_len.min(len)).div_ceil(PAGE)) else {
            return 0;
        };
        if last != 0 && last + last_len == start {
            // SAFETY: the run grew by the new pages; make it the requested length and
            // take it off the list (it is the last run).
            unsafe {
                Self::set_word(last, 0, len);
            }
            // Remove `last` from the list.
            let mut p = 0;
            let mut c = self.large;
            while c != last {
                p = c;
                // SAFETY: a free run on our list.
                c = unsafe { Self::word(c, 1) };
            }
            if p == 0 {
                self.large = 0;
            } else {
                // SAFETY: a free run on our list.
                unsafe { Self::set_word(p, 1, 0) };
            }
            return last;
        }
        if last_len > 0 && last_len < len {
            // The pages grown are `len - last_len` long: not enough alone. Grow the
            // rest (this happens only when the last run does not end at the top).
            let Some(more) = self.mem.grow(last_len.div_ceil(PAGE)) else {
                return 0;
            };
            debug_assert_eq!(more, start + (len - last_len));
        }
        start
    }

    /// Gives a run of `len` bytes back, merging it with free neighbours.
    unsafe fn free_large(&mut self, addr: usize, len: usize) {
        let (mut prev, mut cur) = (0usize, self.large);
        while cur != 0 && cur < addr {
            prev = cur;
            // SAFETY: a free run on our list.
            cur = unsafe { Self::word(cur, 1) };
        }
        let (mut start, mut run) = (addr, len);
        let mut next = cur;
        // SAFETY: `cur` (if any) is a free run on our list.
        if cur != 0 && addr + len == cur {
            // SAFETY: as above.
            unsafe {
                run += Self::word(cur, 0);
                next = Self::word(cur, 1);
            }
        }
        // SAFETY: `prev` (if any) is a free run on our list.
        if prev != 0 && prev + unsafe { Self::word(prev, 0) } == addr {
            start = prev;
            // SAFETY: as above.
            run += unsafe { Self::word(prev, 0) };
        }
        // SAFETY: `start` heads a free run of `run` bytes we own.
        unsafe {
            Self::set_word(start, 0, run);
            Self::set_word(start, 1, next);
        }
        if start != prev {
            if prev == 0 {
                self.large = start;
            } else {
                // SAFETY: a free run on our list.
                unsafe { Self::set_word(prev, 1, start) };
            }
        }
    }
}

/// The wasm module's linear memory.
#[cfg(target_arch = "wasm32")]
pub struct WasmMemory;

#[cfg(target_arch = "wasm32")]
impl Memory for WasmMemory {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let old = core::arch::wasm32::memory_grow(0, pages);
        (old != usize::MAX).then_some(old * PAGE)
    }
}

/// A [`Heap`] as the global allocator of a single-threaded module.
pub struct Global<M>(UnsafeCell<Heap<M>>);

impl<M: Memory> Global<M> {
    /// The allocator over `mem`.
    pub const fn new(mem: M) -> Global<M> {
        Global(UnsafeCell::new(Heap::new(mem)))
    }
}

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread, so the
// heap is never touched from two threads at once.
unsafe impl<M> Sync for Global<M> {}

// SAFETY: the heap hands out distinct blocks of at least the layout's size and
// alignment, and takes them back only through dealloc/realloc.
unsafe impl<M: Memory> GlobalAlloc for Global<M> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and no call re-enters the allocator.
        unsafe { (*self.0.get()).alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above; the caller's contract is forwarded.
        unsafe { (*self.0.get()).dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        unsafe { (*self.0.get()).realloc(ptr, layout, new_size) }
    }
}

#[cfg(test)]
mod tests;
