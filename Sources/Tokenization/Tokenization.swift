// Tokenization: HF tokenizer.json byte-level BPE, special tokens and chat templates.
