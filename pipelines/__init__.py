"""Item pipelines: extraction, then storage."""
