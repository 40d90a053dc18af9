//! Mapping a function over a few independent items on scoped threads, results in item order
//! (compiling the engine groups of the rules pack).

/// `f` of every item of `items`, in order, computed on up to `threads` scoped threads (0: one
/// per available core; never more than there are items). Items are handed out one at a time,
/// so a long item does not hold up the others.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    map_owned(items.iter().collect(), threads, f)
}

/// [`map`] over owned items (e.g. `&mut` borrows, one per item).
pub(crate) fn map_owned<T: Send, R: Send>(
    items: Vec<T>,
    threads: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let threads = match threads {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        n => n,
    }
    .min(items.len());
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let count = items.len();
    let queue = std::sync::Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().ok().and_then(|mut q| q.next());
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let work = || {
            let mut out = Vec::new();
            while let Some((i, item)) = next() {
                out.push((i, f(item)));
            }
            out
        };
        // Threads with the evaluation stack ([`crate::STACK_BYTES`]); one that cannot be
        // started leaves its share to the others, and this thread does what is left.
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(crate::STACK_BYTES)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut done = Vec::new();
        for worker in workers {
            done.extend(
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        done.extend(work());
        done
    });
    debug_assert_eq!(done.len(), count);
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `f()` run on a scoped thread with the rules' stack ([`crate::STACK_BYTES`]); a panic in `f`
/// is resumed here.
///
/// # Errors
/// When the thread cannot be started.
pub fn on_rule_stack<T: Send>(f: impl FnOnce() -> T + Send) -> std::io::Result<T> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .stack_size(crate::STACK_BYTES)
            .spawn_scoped(scope, f)?;
        Ok(thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_item_order_whatever_the_thread_count() {
        let items: Vec<u64> = (0..40).collect();
        // Later items finish first on some threads.
        let slow_first = |&i: &u64| {
            std::thread::sleep(std::time::Duration::from_millis(40_u64.saturating_sub(i)));
            i * 2
        };
        let expected: Vec<u64> = (0..40).map(|i| i * 2).collect();
        for threads in [0, 1, 2, 3, 100] {
            assert_eq!(map(&items, threads, slow_first), expected, "{threads}");
        }
        assert!(map(&[] as &[u64], 4, |&i| i).is_empty());
    }
}
