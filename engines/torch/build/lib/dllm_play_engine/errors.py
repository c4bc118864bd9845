"""Typed failures that travel to dllm-play as ERROR frames (docs/engine-protocol.md § ERROR codes)."""

MALFORMED, VERSION, INVALID_REQUEST, UNSUPPORTED, OUT_OF_MEMORY, DEVICE, TOO_LARGE, INTERNAL = range(1, 9)

NAMES = {MALFORMED: "malformed", VERSION: "version", INVALID_REQUEST: "invalid-request", UNSUPPORTED: "unsupported",
         OUT_OF_MEMORY: "out-of-memory", DEVICE: "device", TOO_LARGE: "too-large", INTERNAL: "internal"}

# After these the stream can no longer be trusted: the engine answers, then closes.
FATAL = {MALFORMED, VERSION, TOO_LARGE}


class EngineFailure(Exception):
    """One failure with its protocol code and a one-line message."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def fatal(self):
        return self.code in FATAL

    def __str__(self):
        return f"{NAMES.get(self.code, 'internal')}: {self.message}"
