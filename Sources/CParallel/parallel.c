// The engine's worker pool (CParallel.h). Layout of the job word `claim` (64 bits):
//   [63..40] job generation (24 bits) | [39..20] parts (20 bits) | [19..0] next part (20 bits)
// A thread claims part `next` with one fetch_add on the low bits, so the generation, the part
// count and the index it gets are one consistent snapshot; a stale thread that arrives after a job
// finished gets an index >= parts and does nothing; an index < parts is a valid claim on whichever
// job the word belongs to. The job's function and context are written before the word is
// published and read after a successful claim; the caller does not rewrite them until every
// claimed part has finished. Off Linux (no futex) every job runs on the calling thread.
#define _GNU_SOURCE
#include "CParallel.h"

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#define HAVE_POOL 1
#else
#define HAVE_POOL 0
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define spin_pause() _mm_pause()
#else
#define spin_pause() ((void)0)
#endif
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_WORKERS 63
#define PART_BITS 20
#define PART_MASK ((1ull << PART_BITS) - 1)
// Spin for about 50 µs before sleeping: long enough to bridge the gaps inside a forward pass.
#define SPIN_ROUNDS 4000

static struct {
    _Atomic uint64_t claim;
    _Atomic long finished;
    _Atomic uint32_t wake;        // futex word: bumped on every job
    _Atomic int sleepers;
    _Atomic int busy;             // a job holds the pool
    dllm_part_function function;
    void *context;
    int workers;
} pool;

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static _Thread_local int inside_part;

#if HAVE_POOL
static long futex(_Atomic uint32_t *word, int op, uint32_t value) {
    return syscall(SYS_futex, (uint32_t *)word, op | FUTEX_PRIVATE_FLAG, value, NULL, NULL, 0);
}

/// Claims and runs parts until a claim comes back empty; returns the generation of that claim.
static uint64_t run_parts(void) {
    for (;;) {
        uint64_t word = atomic_fetch_add_explicit(&pool.claim, 1, memory_order_acq_rel);
        uint64_t index = word & PART_MASK, parts = (word >> PART_BITS) & PART_MASK;
        if (index >= parts) return word >> (2 * PART_BITS);
        inside_part = 1;
        pool.function(pool.context, (long)index);
        inside_part = 0;
        atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    uint64_t seen = 0;
    for (;;) {
        uint64_t generation = 0;
        for (int round = 0; round < SPIN_ROUNDS; round++) {
            generation = atomic_load_explicit(&pool.claim, memory_order_acquire) >> (2 * PART_BITS);
            if (generation != seen) break;
            spin_pause();
        }
        if (generation == seen) {
            uint32_t ticket = atomic_load_explicit(&pool.wake, memory_order_acquire);
            atomic_fetch_add_explicit(&pool.sleepers, 1, memory_order_seq_cst);
            generation = atomic_load_explicit(&pool.claim, memory_order_seq_cst) >> (2 * PART_BITS);
            if (generation == seen) futex(&pool.wake, FUTEX_WAIT, ticket);
            atomic_fetch_sub_explicit(&pool.sleepers, 1, memory_order_relaxed);
            continue;
        }
        seen = run_parts();
    }
    return NULL;
}
#endif

#if HAVE_POOL
static int usable_cpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set) > 0 ? CPU_COUNT(&set) : 1;
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)online : 1;
}
#endif

#if HAVE_POOL
/// DLLM_THREADS=N (1 to 64) sets the threads; otherwise the cores this process may run on.
static int wanted_threads(void) {
    const char *text = getenv("DLLM_THREADS");
    if (text && *text) {
        char *end = NULL;
        long value = strtol(text, &end, 10);
        if (end && *end == '\0' && value >= 1 && value <= MAX_WORKERS + 1) return (int)value;
    }
    return usable_cpus();
}
#endif

static void start_pool(void) {
#if HAVE_POOL
    int wanted = wanted_threads() - 1;
    if (wanted > MAX_WORKERS) wanted = MAX_WORKERS;
    for (int i = 0; i < wanted; i++) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &attributes, worker_main, NULL) == 0) pool.workers++;
        pthread_attr_destroy(&attributes);
    }
#endif
}

int dllm_parallel_threads(void) {
    pthread_once(&pool_once, start_pool);
    return pool.workers + 1;
}

void dllm_parallel_run(long parts, dllm_part_function function, void *context) {
#if HAVE_POOL
    int expected = 0;
    if (parts <= 1 || inside_part || dllm_parallel_threads() == 1 ||
        parts > (long)(PART_MASK - 2 * MAX_WORKERS) ||
        !atomic_compare_exchange_strong_explicit(&pool.busy, &expected, 1, memory_order_acquire, memory_order_relaxed)) {
        for (long part = 0; part < parts; part++) function(context, part);
        return;
    }
    pool.function = function;
    pool.context = context;
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    uint64_t generation = ((atomic_load_explicit(&pool.claim, memory_order_relaxed) >> (2 * PART_BITS)) + 1) & 0xFFFFFF;
    if (generation == 0) generation = 1;   // 0 is the workers' initial "seen"
    atomic_store_explicit(&pool.claim, (generation << (2 * PART_BITS)) | ((uint64_t)parts << PART_BITS),
                          memory_order_seq_cst);
    atomic_fetch_add_explicit(&pool.wake, 1, memory_order_seq_cst);
    if (atomic_load_explicit(&pool.sleepers, memory_order_seq_cst) > 0) futex(&pool.wake, FUTEX_WAKE, MAX_WORKERS);
    run_parts();
    while (atomic_load_explicit(&pool.finished, memory_order_acquire) < parts) spin_pause();
    atomic_store_explicit(&pool.busy, 0, memory_order_release);
#else
    for (long part = 0; part < parts; part++) function(context, part);
#endif
}
