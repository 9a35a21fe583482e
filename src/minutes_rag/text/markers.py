"""How a reply cites its sources: [1], [1][3], [1, 2], 【1】, ［1］, [1-3], [来源1], [source 1].

One copy of the marker convention: the LLM answerer reads markers with it, and showing an
old answer to a model again (chat history, follow-up rewrites) strips them with it.
"""

from __future__ import annotations

import re

# [1] [1][3] [1, 2] [1,2] [1-3] 【1】 ［1］ [1、2]; numbers of 3+ digits ([2020]) are not markers
MARKER = re.compile(
    r"[\[【［]\s*(\d{1,2}(?:\s*(?:[,，、;；]|[-–~～])\s*\d{1,2})*)\s*[\]】］]"
)
# markers written as "[来源1]" / "[source 1]" / "[Source: 1]"
MARKER_WORDY = re.compile(r"[\[【［]\s*(?:来源|资料|source|src)\s*[:：]?\s*(\d{1,2})\s*[\]】］]", re.I)


def strip_markers(text: str) -> str:
    """Text without citation markers (for showing an old answer to a model again)."""
    return MARKER_WORDY.sub("", MARKER.sub("", text))
