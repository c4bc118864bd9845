"""dllm-play's PyTorch engine: LLaDA and Dream forward passes with every KV-cache mode of the
Swift engine, served over the engine protocol (docs/engine-protocol.md)."""

__version__ = "0.1.0"
