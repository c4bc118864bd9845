"""Named training plans: the data sizes, the schedule and the task mixture of a run, as data.

  python -m training.pipeline                  # --plan shipped: what made Models/llada-mini
  python -m training.pipeline --plan large     # the plan for the word-problem bar (GPU-sized)

Command-line options (--steps, --batch-size, --lr, --warmup, --continuation-share) override one
field of the chosen plan; the run log and the model card record the plan that was actually run.
"""
from dataclasses import asdict, dataclass

from .continuations import TASK as CONTINUATION_TASK


@dataclass(frozen=True)
class Plan:
    steps: int                   # optimizer steps; the LR schedule (warmup, cosine) follows them
    batch_size: int
    peak_lr: float
    warmup: int                  # linear warmup steps
    train_rows: dict             # generated training rows per task, for the tasks named here
    train_rows_default: int      # ... and for every other task
    task_weights: dict           # sampling weight per task (prose rows are drawn apart from these)
    continuation_share: float    # share of the word-problem weight given to continuation rows
    note: str = ""               # why the plan is what it is (goes into the model card)

    def rows_for(self, task):
        return self.train_rows.get(task, self.train_rows_default)

    def mixture(self):
        """Task -> weight as the Batcher draws it: `continuation_share` of the word-problem weight
        moves to continuation rows (continuations.py). With share 0 this is task_weights itself,
        in the same order, so plans without continuation rows draw the same random stream."""
        w = dict(self.task_weights)
        if self.continuation_share > 0:
            w[CONTINUATION_TASK] = w["word-problems"] * self.continuation_share
            w["word-problems"] *= 1 - self.continuation_share
        return w

    def to_dict(self):
        return asdict(self)


PLANS = {
    # Trained Models/llada-mini: 6.4 minutes of training on one H200 (0.04 s/step), 2.6 M
    # sequences. On two CPU cores it takes about 20 hours (7.5 s/step), in resumable segments.
    "shipped": Plan(
        steps=10000, batch_size=256, peak_lr=1e-3, warmup=500,
        # the two tasks of the quality bar get more distinct rows, so that a few epochs of them
        # do not teach the model to recall rows instead of adding
        train_rows={"addition": 300000, "word-problems": 300000}, train_rows_default=100000,
        task_weights={"addition": 0.30, "subtraction": 0.10, "multiplication": 0.08, "word-problems": 0.32,
                      "sort": 0.05, "reverse": 0.05, "spell-number": 0.05, "sudoku": 0.05},
        continuation_share=0.0,
        note="the plan of the shipped model"),
    # Not yet run. Four times the batch for ten times the sequences (10.2 M), most of them word
    # problems, half of those as continuation rows: on CPU fine-tunes of the shipped model
    # (training/README.md) continuation rows were the only change that raised the sums decoded
    # inside answers. About 18 minutes of training on one H200 at the ~0.1 s per 1024-row step
    # measured there; check with `python -m training.bench_step --batch-sizes 1024` and pass
    # --steps to fit another device.
    "large": Plan(
        steps=10000, batch_size=1024, peak_lr=1e-3, warmup=1000,
        train_rows={"addition": 600000, "subtraction": 200000, "word-problems": 1000000},
        train_rows_default=100000,
        task_weights={"addition": 0.26, "subtraction": 0.10, "multiplication": 0.06, "word-problems": 0.44,
                      "sort": 0.035, "reverse": 0.035, "spell-number": 0.035, "sudoku": 0.035},
        continuation_share=0.5,
        note="the GPU plan for the word-problem bar: 10x the sequences, word problems weighted 0.44, "
             "half of them continuation rows"),
}
