#ifndef DLLM_CPARALLEL_H
#define DLLM_CPARALLEL_H

/// One pool of worker threads for every split the engine makes (GEMM column bands, attention
/// heads, element-wise bands), so that two pools never spin against each other on the same cores.
/// Workers spin briefly after a job (the next split of a forward pass usually follows within
/// microseconds), then sleep on a futex. See Sources/Kernels/ParallelFor.swift.

/// Body of one part: `context` is the caller's, `part` in [0, parts).
typedef void (*dllm_part_function)(void *context, long part);

/// Runs function(context, p) for every p in [0, parts) and returns when all have finished. The
/// calling thread takes parts too. Runs them one after another on the calling thread when parts
/// <= 1, when called from inside a part (nested splits), or while another thread's job holds the
/// pool. Which thread runs a part never changes what the part computes.
void dllm_parallel_run(long parts, dllm_part_function function, void *context);

/// Threads a job can use: the workers plus the caller. That is the cores this process may run on
/// (`taskset` narrows it), or DLLM_THREADS (1 to 64) when set; an invalid value is ignored.
int dllm_parallel_threads(void);

#endif
