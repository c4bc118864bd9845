"""A toy masked-diffusion model with its own modeling code, for the transformers fallback tests of
engines/torch (tests/test_transformers_fallback.py, RemoteEngineTests): embedding, a mean over the
sequence (bidirectional), a head. Weights: torch.randn with seed 0."""
import torch
from transformers import PretrainedConfig, PreTrainedModel
from transformers.modeling_outputs import MaskedLMOutput


class ToyConfig(PretrainedConfig):
    model_type = "toy-diffusion"

    def __init__(self, vocab_size=97, hidden_size=8, **kwargs):
        self.vocab_size, self.hidden_size = vocab_size, hidden_size
        super().__init__(**kwargs)


class ToyModel(PreTrainedModel):
    config_class = ToyConfig

    def __init__(self, config):
        super().__init__(config)
        self.embed = torch.nn.Embedding(config.vocab_size, config.hidden_size)
        self.head = torch.nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, **kwargs):
        x = self.embed(input_ids)
        x = x + x.mean(1, keepdim=True)  # bidirectional: every row sees the whole sequence
        return MaskedLMOutput(logits=self.head(x))
