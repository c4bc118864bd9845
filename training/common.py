"""Shared constants: special tokens, chat template, paths."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRAIN_DIR = os.path.join(ROOT, "training")
RUNS_DIR = os.path.join(TRAIN_DIR, "runs")          # git-ignored scratch (data, checkpoints)
LOG_DIR = os.path.join(TRAIN_DIR, "logs")            # committed logs
SUITES_DIR = os.path.join(ROOT, "suites")
MODEL_DIR = os.path.join(ROOT, "Models", "llada-mini")
GOLDEN_DIR = os.path.join(TRAIN_DIR, "golden")

SEED = 1234

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"
START_HEADER = "<|start_header_id|>"
END_HEADER = "<|end_header_id|>"
EOT = "<|eot_id|>"
MASK = "<|mdm_mask|>"
# Order fixes the ids 0..5 of the trained tokenizer.
SPECIAL_TOKENS = [EOS, BOS, START_HEADER, END_HEADER, EOT, MASK]

SEQ_LEN = 128


def chat_prompt(user: str) -> str:
    """LLaDA-Instruct style single-turn template with the generation prompt."""
    return (f"{BOS}{START_HEADER}user{END_HEADER}\n\n{user}{EOT}"
            f"{START_HEADER}assistant{END_HEADER}\n\n")


CHAT_TEMPLATE_JINJA = (
    "{{ bos_token }}{% for message in messages %}"
    "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] + '<|eot_id|>' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
)
