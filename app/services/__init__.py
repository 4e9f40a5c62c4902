"""Use cases. Each call opens its own short session and returns plain frozen dataclasses."""
