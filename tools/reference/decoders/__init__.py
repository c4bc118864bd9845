"""The project's independent reference of every decoder's decision rules (docs/decoders.md)."""
