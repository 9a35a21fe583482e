"""Start the minutes-rag chat (same flags as `minutes-rag serve`; settings also come from
MINUTES_RAG_* environment variables, see README)."""

import sys

from minutes_rag.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
