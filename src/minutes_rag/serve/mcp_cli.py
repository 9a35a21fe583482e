"""``minutes-rag mcp``: the MCP server over stdio, for desktop clients (Claude Desktop, Cherry
Studio) that start it as a program. stdout carries the protocol only; logs go to stderr.

    minutes-rag mcp --data-dir DIR [--embedder NAME]
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def add_mcp_parser(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    p = sub.add_parser("mcp", help="serve the archive to MCP clients over stdio (tools ask, search, get_minute, "
                       "ledger, timeline; resources minutes://ID)")
    common(p)
    p.add_argument("--embedder")


def run_mcp(args: argparse.Namespace, settings: Any) -> int:
    from minutes_rag.assistant import build_assistant
    from minutes_rag.serve.mcp_server import build_server
    from minutes_rag.serve.mount import ReadyArchive, make_pool

    archive = ReadyArchive(build_assistant(settings))
    archive.ready.clear()

    def warm() -> None:  # the client connects at once; the first tool call waits for this
        try:
            archive.assistant.warm_up()  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - an empty archive or a bad setting shows on the first call
            log.warning("warm-up skipped: %s", exc)
        finally:
            archive.ready.set()

    threading.Thread(target=warm, name="warm-up", daemon=True).start()
    build_server(archive, make_pool(settings)).run("stdio")
    return 0
