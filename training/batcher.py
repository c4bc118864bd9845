"""Training batches: the prose share, the canvas layouts, and the Batcher that draws them."""
import numpy as np
import torch

from .common import BOS, EOS, EOT, MASK, SEQ_LEN, chat_prompt
from .continuations import TASK as CONTINUATION_TASK, continuation_rows

# Share of batches that are prose (the task mixture itself is the plan's: plans.py).
PROSE_SHARE = 0.10
GEN_CANVAS = 64          # default answer canvas of the app (a plan may set another: plans.py)
# Canvas layouts of a batch, with their probabilities:
#   tight: one task per batch, padded with EOS to the batch's longest prompt+answer plus 0..8
#          (LLaDA SFT's pad-to-batch-length). The loss is normalised per answer region, so short
#          answers are not drowned by dozens of trivially predicted EOS pads, and a batch of
#          additions is ~40 tokens long instead of ~95.
#   gen:   every item gets the app's 64-token answer canvas (teaches EOS filling at inference length)
#   full:  every item is padded to the 128-token context
CANVAS_MODES = {"tight": 0.7, "gen": 0.25, "full": 0.05}
TIGHT_EXTRA_PAD = 8
TIGHT_PROSE_LEN = 64


class Batcher:
    """Draws training batches. Rows are kept as numpy arrays and batches are filled in numpy, then
    handed to torch once: on a GPU the step is otherwise bound by per-item tensor indexing here.
    The random stream (which rows, canvases and windows) is the same call for call as the
    per-item version that trained the shipped model, so its plan still reproduces it."""

    def __init__(self, tok, sft_rows, prose_ids, seed, mixture, seq_len=SEQ_LEN, gen_canvas=GEN_CANVAS):
        """mixture: task -> sampling weight (Plan.mixture()); naming CONTINUATION_TASK builds the
        continuation rows from the word-problem rows. seq_len: the model's context (the `full`
        canvas); gen_canvas: the answer canvas of `gen` batches and the longest answer kept."""
        self.tok = tok
        self.seq_len, self.gen_canvas = seq_len, gen_canvas
        self.rng = np.random.default_rng(seed)
        self.mask_id = tok.token_to_id(MASK)
        self.eos = tok.token_to_id(EOS)
        self.eot = tok.token_to_id(EOT)
        self.bos = tok.token_to_id(BOS)
        self.by_task = {}
        dropped = 0
        words = []
        prompts = tok.encode_batch([chat_prompt(r["prompt"]) for r in sft_rows])
        answers = tok.encode_batch([r["answer"] for r in sft_rows])
        for r, p, a in zip(sft_rows, prompts, answers):
            ans = a.ids + [self.eot]
            if len(ans) > gen_canvas or len(p.ids) + gen_canvas > seq_len:
                dropped += 1
                continue
            # one array per row: prompt then answer; the prompt length says where the answer starts
            row = np.asarray(p.ids + ans, dtype=np.int64)
            self.by_task.setdefault(r["task"], []).append((row, len(p.ids)))
            if r["task"] == "word-problems":
                words.append({"answer": r["answer"], "ids": row, "prompt_len": len(p.ids)})
        self.dropped = dropped
        self.continuation_skipped = 0
        if CONTINUATION_TASK in mixture:
            # its own stream, so the batch stream below is drawn the same way as without it
            self.by_task[CONTINUATION_TASK], self.continuation_skipped = continuation_rows(tok, words, seed + 1)
        self.tasks = list(mixture)
        w = np.array([mixture[t] for t in self.tasks])
        self.task_p = w / w.sum()
        # Generator.choice(n, p=p) draws one random() and searches this normalised CDF; doing it
        # here gives the same index from the same draw without rebuilding the CDF per item.
        self.task_cdf = self.task_p.cumsum()
        self.task_cdf /= self.task_cdf[-1]
        self.prose = np.asarray(prose_ids, dtype=np.int64)

    def sample(self, B):
        """Returns ids [B,L], valid, maskable (bool [B,L]) and is_prose [B] for one batch."""
        mode = self.rng.choice(list(CANVAS_MODES), p=list(CANVAS_MODES.values()))
        if mode == "tight":
            return self._sample_tight(B)
        items = []
        for _ in range(B):
            if self.rng.random() < PROSE_SHARE:
                items.append(None)
            else:
                items.append(self._draw(self._draw_task()))
        if mode == "gen" and any(it is not None for it in items):
            L = max(it[1] for it in items if it is not None) + self.gen_canvas
        else:
            L = self.seq_len
        ids, valid, maskable, is_prose = self._empty(B, L)
        for i, it in enumerate(items):
            if it is None:
                self._put_prose(ids, valid, maskable, is_prose, i, L)
            else:
                row, prompt_len = it
                self._put_sft(ids, valid, maskable, i, row, prompt_len, prompt_len + self.gen_canvas if mode == "gen" else L)
        return self._as_tensors(ids, valid, maskable, is_prose)

    def _sample_tight(self, B):
        if self.rng.random() < PROSE_SHARE:
            L = TIGHT_PROSE_LEN
            ids, valid, maskable, is_prose = self._empty(B, L)
            for i in range(B):
                self._put_prose(ids, valid, maskable, is_prose, i, L)
            return self._as_tensors(ids, valid, maskable, is_prose)
        task = self._draw_task()
        items = [self._draw(task) for _ in range(B)]
        L = min(self.seq_len, max(len(row) for row, _ in items) + int(self.rng.integers(0, TIGHT_EXTRA_PAD + 1)))
        ids, valid, maskable, is_prose = self._empty(B, L)
        for i, (row, prompt_len) in enumerate(items):
            self._put_sft(ids, valid, maskable, i, row, prompt_len, L)
        return self._as_tensors(ids, valid, maskable, is_prose)

    def _draw_task(self):
        return self.tasks[int(self.task_cdf.searchsorted(self.rng.random(), side="right"))]

    def _draw(self, task):
        rows = self.by_task[task]
        return rows[self.rng.integers(len(rows))]

    def _empty(self, B, L):
        return (np.full((B, L), self.eos, dtype=np.int64), np.zeros((B, L), dtype=bool),
                np.zeros((B, L), dtype=bool), np.zeros(B, dtype=bool))

    @staticmethod
    def _as_tensors(*arrays):
        return tuple(torch.from_numpy(a) for a in arrays)

    def _put_prose(self, ids, valid, maskable, is_prose, i, L):
        s = self.rng.integers(0, len(self.prose) - L)
        ids[i, 0] = self.bos
        ids[i, 1:] = self.prose[s:s + L - 1]
        valid[i, :L] = True
        maskable[i, 1:L] = True
        is_prose[i] = True

    def _put_sft(self, ids, valid, maskable, i, row, prompt_len, end):
        """Prompt, answer, then EOS padding up to `end`; only the answer region is maskable."""
        ids[i, :len(row)] = row
        valid[i, :end] = True
        maskable[i, prompt_len:end] = True
