"""minutes-rag: a chat assistant over archives of government meeting minutes."""

__version__ = "0.1.0"
