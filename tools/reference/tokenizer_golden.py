#!/usr/bin/env python3
"""Golden tokenizer fixtures for the Tokenization tests (run by hand, never in CI).

Trains small byte-level BPE tokenizers with HF `tokenizers` on fixed data, then writes their
tokenizer.json files, a varied set of test lines and the ids HF produces for every line, into
Tests/Fixtures/tokenization/. The Swift tests must reproduce every id sequence exactly.

    python3 -m venv /work/venv-tok && /work/venv-tok/bin/pip install tokenizers
    /work/venv-tok/bin/python tools/reference/tokenizer_golden.py
    # parity for a tokenizer you have, outside the repository:
    /work/venv-tok/bin/python tools/reference/tokenizer_golden.py --external TOKENIZER_JSON OUT_DIR [TEXT_FILE...]

Tokenizers written (all with added special tokens placed after the trained vocabulary):
  qwen2-style    NFC normalizer, Split(Qwen2 pattern, single digits) + ByteLevel(use_regex false),
                 LLaDA special tokens (the project's own model uses this scheme), merges as pairs
  llama3-style   no normalizer, Split(Llama-3 pattern, digits {1,3}) + ByteLevel(use_regex false),
                 Dream special tokens, merges written in the older "a b" string form
  gpt2-style     ByteLevel pre-tokenizer alone (GPT-2 pattern, add_prefix_space true)
  staged-style   Split(Qwen2 pattern) + Digits + ByteLevel(add_prefix_space, use_regex true):
                 every stage re-splits the pieces of the one before; ignore_merges on
"""
import json
import random
from pathlib import Path

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "Fixtures" / "tokenization"
SEED = 20261123
VOCAB_SIZE = 1500

QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}|"
                 r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                  r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")

LLADA_SPECIALS = ["<|startoftext|>", "<|endoftext|>", "<|start_header_id|>", "<|end_header_id|>",
                  "<|eot_id|>", "<|mdm_mask|>"]
DREAM_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|beginoftext|>", "<|mask|>"]

HARD_LINES = [
    "Hello, world!", "hello world", " leading space", "trailing space ", "  two leading",
    "tabs\tand\t\ttabs", "\tstarts with tab", "ends with tab\t", "line\nbreak", "crlf\r\nline",
    "\r\n\r\n", "\n\n\nthree newlines", "spaces   \n   around newline", " \t \n \t mixed",
    "         nine spaces", "a  b   c    d     e", "trailing newline\n", "\n", " ", "\t",
    "I'm sure you're right, we'll see what they've done; it's Bob's and I'd go.",
    "I'M SURE YOU'RE RIGHT, WE'LL SEE WHAT THEY'VE DONE; IT'S BOB'S AND I'D GO.",
    "I'm, You'Re, We'lL, They'Ve, It'S, He'D, 'tis, rock'n'roll, don't, DON'T, Don'T",
    "quotes: 'single' \"double\" ‘curly’ “curly” «guillemets» ’s",
    "numbers: 0 1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890",
    "3.14159 2,718 1e-9 -42 +7 0x1F 1_000_000 ½ ¾ ² ³ Ⅻ ٣٤٥ ४२ ๓",
    "price $19.99, €5, £3.50, ¥1000, 50% off",
    "日本語のテキストです。漢字とひらがなとカタカナ。", "中文句子，包括标点符号！", "한국어 문장입니다. 한글 자모: ᄀ ᅡ ᆨ",
    "Привет, мир! Съешь же ещё этих мягких французских булок.", "Ελληνικά: Καλημέρα κόσμε",
    "مرحبا بالعالم! هذا نص عربي.", "שלום עולם", "हिन्दी में वाक्य।", "ภาษาไทยไม่มีช่องว่าง",
    "emoji: 😀 😃 😄 👍🏽 👩‍💻 👨‍👩‍👧‍👦 🏳️‍🌈 ❤️ 🇯🇵 🇺🇸 🇪🇺",
    "👍👍👍 repeated 👍", "flags🇫🇷🇩🇪together", "ZWJ👩‍🔬chain", "keycap 1️⃣ #️⃣",
    "combining: e\u0301 a\u0300 o\u0308 n\u0303 Z\u0351\u0352\u0353", "precomposed: é à ö ñ",
    "cafe\u0301 vs café", "Å vs A\u030a vs \u212b", "ﬁ ligature and ＦＵＬＬ ｗｉｄｔｈ",
    "zero\u200bwidth\u200cnon\u200djoiner", "nbsp\u00a0here and\u2003em space\u3000ideographic",
    "line\u2028separator and\u2029paragraph", "soft\u00adhyphen", "bidi \u202eoverride\u202c end",
    "control \u0001\u0002\u007f chars", "null\u0000byte",
    "def f(x):\n    return x * 2  # comment\n", "if (a && b) { return c[0]; } else { x += 1; }",
    "for i in range(10):\n\tprint(f\"{i:>3}\")", "let xs = [1, 2, 3].map { $0 * 2 }",
    "#include <stdio.h>\nint main(void) { printf(\"hi\\n\"); }",
    "https://example.com/path?q=1&r=2#frag", "user@example.org", "C:\\Users\\name\\file.txt",
    "snake_case camelCase PascalCase kebab-case SCREAMING_CASE", "a+b=c; x-->y; i++; --j; ===",
    "...!!!???,,,;;;:::", "----- ===== ***** #####", "(((nested))) [[[brackets]]] {{{braces}}}",
    "<|endoftext|>", "text<|endoftext|>more text", "<|endoftext|><|endoftext|>",
    "a <|mdm_mask|> b <|mdm_mask|><|mdm_mask|> c", "<|mask|> and <|mask|><|mask|>",
    "<|startoftext|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n"
    "<|im_start|>assistant\n",
    "<|beginoftext|>Once upon a time", "almost special <|endoftext| and <endoftext|>", "<|im_end",
    "<|eot_id|> <|eot_id|>  <|eot_id|>\n<|eot_id|>", "<think>reasoning</think>",
    "it'ſ and IT'S and Kelvin \u212a", "next\u0085line vertical\u000btab form\u000cfeed",
    "fullwidth １２３ superscript x² roman Ⅳ fractions ¼", "मनुष्य क्षत्रिय", "ﾊﾝｶｸ ｶﾀｶﾅ", "漢字かなカナ123abc",
    "a" * 300, "ab" * 150, "9" * 50, "😀" * 20, "\u0301" * 10 + "x", " " * 40 + "x", "\n" * 12,
    "<|endoftext|>\u0338 after a special token", "<think>\u0338 after an added token",
    "Ǆemo ǅemo ǆemo ŉ ΐ ﬀ", "\U0001d11e music \U0001f980 crab \U000e0041 tag",
    "\U000e0041\u0301 tag then accent, \U0001f600\u0301 emoji then accent, \u1100\u1161\u11a8 jamo, \U0001d15e",
]

WORDS = ("the of and to in is was for that with as on by at from this be are or it an which have "
         "not but were his their they one all been has there when more would other some time "
         "model token decode mask diffusion step block cache confidence entropy threshold "
         "language terminal playground swift kernel matrix vector prompt answer remask commit").split()


def generated_lines(rng):
    lines = []
    for _ in range(60):
        n = rng.randint(3, 14)
        words = [rng.choice(WORDS) for _ in range(n)]
        if rng.random() < 0.5:
            words[0] = words[0].capitalize()
        sep = rng.choice([" ", " ", " ", "  ", "\t", "\n", " \n"])
        lines.append(sep.join(words) + rng.choice([".", "!", "?", "", ",", ":\n"]))
    for length in range(1, 25):
        lines.append("".join(rng.choice("0123456789") for _ in range(length)))
        lines.append("x" + "".join(rng.choice("0123456789") for _ in range(length)) + " y")
    for _ in range(30):
        ws = "".join(rng.choice(" \t\n\r\u00a0") for _ in range(rng.randint(1, 8)))
        lines.append(rng.choice(WORDS) + ws + rng.choice(WORDS) + ws)
    for suffix in ["s", "t", "re", "ve", "m", "ll", "d"]:
        for variant in {suffix, suffix.upper(), suffix.capitalize()}:
            lines.append(f"word'{variant} x'{variant}y '{variant} 12'{variant}")
    pool = "aé中😀 \n\t1!Ж"
    for _ in range(40):
        lines.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 20))))
    return lines


def license_lines(rng):
    lines = []
    texts = []
    for path in sorted(Path("/usr/share/common-licenses").glob("*")):
        if path.is_file():
            texts.append(path.read_text(errors="replace"))
    for text in texts:
        paragraphs = [p for p in text.split("\n\n") if p.strip()]
        for p in rng.sample(paragraphs, min(5, len(paragraphs))):
            lines.append(p[:400])
    return lines, texts


def training_corpus(rng, texts, test_lines):
    corpus = list(texts)
    corpus += test_lines * 3
    for _ in range(3000):
        corpus.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 20))))
    for _ in range(500):
        corpus.append(" ".join(str(rng.randint(0, 10 ** rng.randint(1, 9))) for _ in range(5)))
    return corpus


def build(kind):
    tok = Tokenizer(models.BPE(ignore_merges=(kind == "staged-style")))
    if kind == "qwen2-style":
        tok.normalizer = normalizers.NFC()
    if kind == "gpt2-style":
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True)
    elif kind == "staged-style":
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
            pre_tokenizers.Digits(individual_digits=False),
            pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True),
        ])
    else:
        pattern = QWEN2_PATTERN if kind == "qwen2-style" else LLAMA3_PATTERN
        tok.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
    tok.decoder = decoders.ByteLevel()
    return tok


def main():
    rng = random.Random(SEED)
    lic_lines, texts = license_lines(rng)
    lines = HARD_LINES + generated_lines(rng) + lic_lines
    corpus = training_corpus(random.Random(SEED + 1), texts, lines)
    OUT.mkdir(parents=True, exist_ok=True)
    specials = {"qwen2-style": LLADA_SPECIALS, "llama3-style": DREAM_SPECIALS,
                "gpt2-style": ["<|endoftext|>", "<|mask|>"], "staged-style": ["<|endoftext|>"]}
    expected = {}
    for kind in ["qwen2-style", "llama3-style", "gpt2-style", "staged-style"]:
        tok = build(kind)
        trainer = trainers.BpeTrainer(vocab_size=VOCAB_SIZE, show_progress=False,
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
        tok.train_from_iterator(corpus, trainer=trainer)
        tok.add_special_tokens(specials[kind])
        if kind in ("qwen2-style", "llama3-style"):
            tok.add_tokens(["<think>", "</think>"])  # added, not special: matched after normalization
        path = OUT / f"{kind}.tokenizer.json"
        tok.save(str(path))
        data = json.loads(path.read_text())
        if kind == "llama3-style":  # the older string form of merges
            data["model"]["merges"] = [" ".join(m) if isinstance(m, list) else m
                                       for m in data["model"]["merges"]]
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        tok = Tokenizer.from_file(str(path))
        expected[kind] = [tok.encode(line, add_special_tokens=False).ids for line in lines]
    (OUT / "golden-lines.json").write_text(json.dumps(lines, ensure_ascii=False, indent=0))
    (OUT / "golden-ids.json").write_text(json.dumps(
        {k: [" ".join(map(str, s)) for s in v] for k, v in expected.items()}, indent=0))
    print(f"{len(lines)} lines; wrote {OUT}")


def external(tokenizer_json, out_dir, text_files):
    """Golden ids of the committed lines plus lines of `text_files` for a tokenizer you have
    (LLaDA-8B's, Dream's, the embedded model's), written outside the repository; check them with
    DLLM_TOKENIZER_PARITY=OUT_DIR swift test --filter TokenizationTests."""
    rng = random.Random(SEED)
    lines = json.loads((OUT / "golden-lines.json").read_text())
    for name in text_files:
        extra = [l for l in Path(name).read_text(errors="replace").split("\n") if l.strip()]
        lines += rng.sample(extra, min(2000, len(extra)))
    tok = Tokenizer.from_file(tokenizer_json)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokenizer.json").write_text(Path(tokenizer_json).read_text())
    (out / "lines.json").write_text(json.dumps(lines, ensure_ascii=False))
    ids = [" ".join(map(str, tok.encode(l, add_special_tokens=False).ids)) for l in lines]
    (out / "ids.json").write_text(json.dumps(ids))
    print(f"{len(lines)} lines; wrote {out}")


if __name__ == "__main__":
    import sys
    if len(sys.argv) >= 4 and sys.argv[1] == "--external":
        external(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        main()
