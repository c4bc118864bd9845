"""Which device each transformer layer lives on (`--device-map`), in the spirit of accelerate's
device_map: "auto" and "balanced" spread the layers evenly over every visible GPU in order (the
embedding on the first, the final norm and head on the last); a single device keeps them all."""
import torch

from .errors import DEVICE, EngineFailure


def layer_devices(layer_count, device="cpu", device_map=None):
    device = str(device)
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EngineFailure(DEVICE, f"--device {device}: no CUDA device is visible to torch {torch.__version__} "
                                    "(hint: --device cpu, or install a CUDA build of torch)")
    if device_map in (None, "none") or not device.startswith("cuda"):
        if device.startswith("cuda:"):
            index = int(device.split(":", 1)[1])
            if index >= torch.cuda.device_count():
                raise EngineFailure(DEVICE, f"--device {device}: only {torch.cuda.device_count()} CUDA device(s)")
        return [torch.device(device)] * layer_count
    if device_map not in ("auto", "balanced"):
        raise EngineFailure(DEVICE, f"--device-map {device_map}: expected auto, balanced or none")
    gpus = torch.cuda.device_count()
    return [torch.device(f"cuda:{i * gpus // layer_count}") for i in range(layer_count)]
