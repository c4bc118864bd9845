// Modeling: HF checkpoints and the LLaDA/Dream bidirectional transformers.
