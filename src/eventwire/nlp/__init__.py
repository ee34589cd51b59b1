"""The spaCy pipeline: model loading and eventwire's registered components."""
