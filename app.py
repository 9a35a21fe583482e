"""Start the minutes-rag chat: settings -> assistant -> Gradio app (see README)."""

from minutes_rag.config import Settings
from minutes_rag.ui import launch

if __name__ == "__main__":
    launch(Settings.load())
