"""Training pipeline for the embedded llada-mini masked-diffusion model."""
