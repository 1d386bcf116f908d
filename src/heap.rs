//! The shipped wasm's allocator: power-of-two size classes, each with a free list, carved from
//! memory the wasm grows — a few hundred bytes where talc was 3 KB of the first module.
//!
//! Why it is enough here: `dealloc` and `realloc` are told the block's size, so a block needs
//! no header and its class is known; nothing is ever merged or split, so every operation is a
//! few instructions (a `Vec` doubling its buffer finds last time's blocks on the lists). What
//! that costs: a request is rounded up to a power of two, and a freed block is only reused by
//! its own class. The growth patterns of this crate are doublings (strings, SSE lines, the
//! JSON body), which fill their class exactly; the bounds that matter are the caps on lines
//! and bodies (8 MiB), which keep any one class small (the limits test measures the memory).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// Smallest block: room for the free list's link, and the alignment every block gets.
const MIN_CLASS: u32 = 4;
/// Classes 2^4 … 2^31 bytes.
const CLASSES: usize = 32;
/// Memory is asked for at least this much at a time (64 KiB pages).
const GROW_PAGES: usize = 16;
const PAGE: usize = 65536;

/// The class of a request: the power of two that holds `size` bytes (and `align`).
pub fn class_of(size: usize, align: usize) -> Option<u32> {
    let need = size.max(align).max(1 << MIN_CLASS);
    let class = usize::BITS - (need - 1).leading_zeros();
    ((class as usize) < CLASSES).then_some(class)
}

/// Where new memory comes from: `pages` more 64 KiB pages, contiguous or not; returns the
/// address of the first, or `None` when there is no more.
pub type Grow = fn(pages: usize) -> Option<usize>;

struct State {
    /// Heads of the free lists, by class (0: empty); a free block's first word is the next.
    free: [usize; CLASSES],
    /// Unused memory from `next` to `end`.
    next: usize,
    end: usize,
}

pub struct Heap {
    state: UnsafeCell<State>,
    grow: Grow,
}

// SAFETY: the wasm this is used in has one thread (no atomics target feature), and the
// native tests use a heap from one thread at a time.
unsafe impl Sync for Heap {}

impl Heap {
    pub const fn new(grow: Grow) -> Heap {
        Heap {
            state: UnsafeCell::new(State {
                free: [0; CLASSES],
                next: 0,
                end: 0,
            }),
            grow,
        }
    }

    fn carve(&self, st: &mut State, size: usize, align: usize) -> *mut u8 {
        let align = align.max(1 << MIN_CLASS);
        if let Some(at) = fit(st.next, st.end, size, align) {
            st.next = at + size;
            return at as *mut u8;
        }
        let Some(pages) = size
            .checked_add(align)
            .map(|n| n.div_ceil(PAGE).max(GROW_PAGES))
        else {
            return core::ptr::null_mut();
        };
        let Some(start) = (self.grow)(pages) else {
            return core::ptr::null_mut();
        };
        if start != st.end {
            // Not contiguous with what was left: that tail is given up.
            st.next = start;
        }
        st.end = start.saturating_add(pages * PAGE);
        match fit(st.next, st.end, size, align) {
            Some(at) => {
                st.next = at + size;
                at as *mut u8
            }
            None => core::ptr::null_mut(),
        }
    }
}

/// Where a block of `size` bytes aligned to `align` starts in `next..end`, if it fits.
fn fit(next: usize, end: usize, size: usize, align: usize) -> Option<usize> {
    let at = next.checked_add(align - 1)? & !(align - 1);
    (at.checked_add(size)? <= end).then_some(at)
}

unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return core::ptr::null_mut();
        };
        // SAFETY: one thread, and no call here re-enters the allocator.
        let st = unsafe { &mut *self.state.get() };
        let head = st.free[class as usize];
        if head != 0 && head % layout.align() == 0 {
            // SAFETY: a listed block is a free block of this class; its first word is the link.
            st.free[class as usize] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        self.carve(st, 1 << class, layout.align())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return;
        };
        // SAFETY: as in `alloc`; `ptr` is a block of this class (GlobalAlloc's contract: the
        // layout it was allocated with), at least a word long and word-aligned.
        let st = unsafe { &mut *self.state.get() };
        unsafe { *(ptr as *mut usize) = st.free[class as usize] };
        st.free[class as usize] = ptr as usize;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if class_of(layout.size(), layout.align()) == class_of(new_size, layout.align()) {
            return ptr;
        }
        // SAFETY: the caller's contract is passed on (`new_size` is valid for this align).
        unsafe {
            let new = self.alloc(Layout::from_size_align_unchecked(new_size, layout.align()));
            if !new.is_null() {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}

/// The wasm's own memory, grown page by page.
#[cfg(target_arch = "wasm32")]
pub fn wasm_grow(pages: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, pages);
    (old != usize::MAX).then(|| old * PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn a_class_holds_its_request() {
        assert_eq!(class_of(1, 1), Some(4));
        assert_eq!(class_of(16, 8), Some(4));
        assert_eq!(class_of(17, 1), Some(5));
        assert_eq!(class_of(64, 128), Some(7));
        assert_eq!(class_of(1 << 20, 8), Some(20));
        assert_eq!(class_of((1 << 20) + 1, 8), Some(21));
        assert_eq!(class_of(1 << 31, 8), Some(31));
        assert_eq!(class_of((1 << 31) + 1, 8), None);
    }

    /// A test heap's memory: 256 pages of a leaked buffer (48 under Miri, which tracks every
    /// byte), handed out in order.
    static ARENA: Mutex<(usize, usize)> = Mutex::new((0, 0));

    fn arena_grow(pages: usize) -> Option<usize> {
        let mut a = ARENA.lock().unwrap();
        if a.0 == 0 {
            let pages = if cfg!(miri) { 48 } else { 256 };
            let mem = vec![0u8; (pages + 1) * PAGE].leak();
            let base = (mem.as_mut_ptr() as usize).next_multiple_of(PAGE);
            *a = (base, base + pages * PAGE);
        }
        let start = a.0;
        (start + pages * PAGE <= a.1).then(|| {
            a.0 += pages * PAGE;
            start
        })
    }

    #[test]
    fn blocks_do_not_overlap_are_reused_and_keep_their_bytes() {
        let heap = Heap::new(arena_grow);
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut seed = 7u32;
        let mut rand = move |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 8) % n
        };
        // Fewer rounds under Miri, which checks every access (`cargo miri test`).
        let rounds = if cfg!(miri) { 300 } else { 20_000 };
        for round in 0..rounds {
            if live.len() > 40 || (!live.is_empty() && rand(3) == 0) {
                let (p, l, tag) = live.swap_remove(rand(live.len() as u32) as usize);
                // Its bytes are what was written: nothing else used them meanwhile.
                let bytes = unsafe { std::slice::from_raw_parts(p, l.size()) };
                assert!(bytes.iter().all(|&b| b == tag), "round {round}");
                if rand(2) == 0 {
                    let new_size = 1 + rand(5000) as usize;
                    let q = unsafe { heap.realloc(p, l, new_size) };
                    assert!(!q.is_null());
                    let kept = l.size().min(new_size);
                    let bytes = unsafe { std::slice::from_raw_parts(q, kept) };
                    assert!(bytes.iter().all(|&b| b == tag));
                    let l2 = Layout::from_size_align(new_size, l.align()).unwrap();
                    unsafe { std::ptr::write_bytes(q, tag, new_size) };
                    live.push((q, l2, tag));
                } else {
                    unsafe { heap.dealloc(p, l) };
                }
            } else {
                let big = rand(10) == 0;
                let size = 1 + rand(if big { 70_000 } else { 300 }) as usize
                    / if cfg!(miri) { 8 } else { 1 };
                let align = 1 << rand(7);
                let l = Layout::from_size_align(size, align).unwrap();
                let p = unsafe { heap.alloc(l) };
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0);
                let tag = (round % 251) as u8 + 1;
                unsafe { std::ptr::write_bytes(p, tag, size) };
                live.push((p, l, tag));
            }
            // No two live blocks overlap.
            if round % 97 == 0 {
                let mut spans: Vec<(usize, usize)> = live
                    .iter()
                    .map(|(p, l, _)| (*p as usize, *p as usize + l.size()))
                    .collect();
                spans.sort_unstable();
                assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "round {round}");
            }
        }
        // A freed block is the next one of its class handed out.
        let l = Layout::from_size_align(100, 8).unwrap();
        let p = unsafe { heap.alloc(l) };
        unsafe { heap.dealloc(p, l) };
        assert_eq!(
            unsafe { heap.alloc(Layout::from_size_align(120, 8).unwrap()) },
            p
        );
    }

    #[test]
    fn no_memory_is_a_null_pointer() {
        fn none(_: usize) -> Option<usize> {
            None
        }
        let heap = Heap::new(none);
        let p = unsafe { heap.alloc(Layout::from_size_align(10, 1).unwrap()) };
        assert!(p.is_null());
        let huge = unsafe { heap.alloc(Layout::from_size_align(usize::MAX / 2, 1).unwrap()) };
        assert!(huge.is_null());
    }
}
