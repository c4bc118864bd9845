"""Named training plans: the data sizes, the schedule and the task mixture of a run, as data.

  python -m training.pipeline                  # --plan shipped: what made Models/llada-mini
  python -m training.pipeline --plan large     # the plan for the word-problem bar (GPU-sized)
  python -m training.pipeline --plan v2        # long answers: 512 context, 256-token canvas (GPU-sized)

Command-line options (--steps, --batch-size, --lr, --warmup, --continuation-share) override one
field of the chosen plan; the run log and the model card record the plan that was actually run.
"""
from dataclasses import asdict, dataclass, field

from .continuations import TASK as CONTINUATION_TASK

# The shipped model's shape (8.7 M parameters); a plan's `model` overrides some of these keys.
BASE_MODEL = dict(vocab_size=2048, d_model=320, n_layers=6, n_heads=5, mlp_hidden_size=864,
                  max_sequence_length=128, rope_theta=10000.0, rms_norm_eps=1e-5)


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
    # The fields below default to what the shipped model had, so plans without them run as before.
    model: dict = field(default_factory=dict)   # keys of BASE_MODEL this plan changes
    gen_canvas: int = 64         # answer canvas of `gen` batches, of evaluation and of generation_config
    block_length: int = 32       # semi-autoregressive block of evaluation and generation_config
    eval_steps: int = 64         # LLaDA baseline steps over the whole canvas in evaluation
    shard_mib: float = 0         # export: 0 = one model.safetensors; else shards below this size + index
    export_dtype: str = "float32"  # export: "float32" or "bfloat16" (the engine reads both)

    def model_config(self):
        """model.Config keyword arguments of this plan's model."""
        return dict(BASE_MODEL, **self.model)

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
    # Not yet run (issue 20). Long answers worth watching: a 512-token context, the app's canvas of
    # 256 tokens in blocks of 32, and tasks whose answers fill it: multi-step word problems told one
    # sentence per step (60-150 tokens), lists and sequences (where parallel decoding commits many
    # tokens a step), prose continuations of 100-250 tokens, 4x4 Sudoku, and the short tasks kept.
    # 27.8 M parameters (8 layers of width 512, 8 heads of 64, SwiGLU 1408), exported as bfloat16
    # in four shards under 15 MiB (53.1 MiB in all), so that a GPU machine's 64 MiB of returned
    # files holds them. Sized for one H100/H200 training call of about 6 minutes: set --steps from
    # `python -m training.bench_step --plan v2 --batch-sizes 256` (training/README.md, "Plan v2").
    "v2": Plan(
        steps=1500, batch_size=256, peak_lr=1e-3, warmup=150,
        train_rows={"addition": 150000, "word-problems": 150000, "multi-step-word-problems": 300000,
                    "sequences": 100000, "prose-continuation": 100000},
        train_rows_default=50000,
        task_weights={"addition": 0.12, "subtraction": 0.05, "multiplication": 0.04, "word-problems": 0.14,
                      "sort": 0.03, "reverse": 0.03, "spell-number": 0.03, "sudoku": 0.04,
                      "sequences": 0.14, "multi-step-word-problems": 0.26, "prose-continuation": 0.12},
        continuation_share=0.3,
        note="long answers (issue 20): 512 context, 256-token canvas, multi-step word problems, sequences "
             "and prose continuations added to the short tasks",
        model=dict(d_model=512, n_layers=8, n_heads=8, mlp_hidden_size=1408, max_sequence_length=512),
        gen_canvas=256, block_length=32, eval_steps=128, shard_mib=15, export_dtype="bfloat16"),
}
