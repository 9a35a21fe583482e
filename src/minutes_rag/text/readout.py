"""How a news-style readout of a meeting (会议指出…会议强调…会议审议通过…) marks its matters.

Readouts number nothing: each matter opens with the meeting as subject and a verb. Two
kinds of verb: an *agenda* verb puts a matter before the meeting (听取, 审议, 研究, 讨论, 决定,
原则同意 …), a *comment* verb says what the meeting said about it (指出, 强调, 要求, 认为, 建议 …).
A comment right after an agenda sentence is about that matter (会议审议通过《…》。会议指出，…);
anywhere else it opens a matter of its own. The splitter (split/readout.py) and the ledger share
these patterns.
"""

from __future__ import annotations

import re

_ALSO = r"(?:还|并|同时|最后|首先|一致|认真|专题|集中)?"
AGENDA_VERB = r"(?:听取(?:和讨论|并审议|和审议|并讨论)?|审议|研究|讨论|决定|原则同意|原则通过|同意|议定|通过)"
COMMENT_VERB = r"(?:指出|强调|认为|要求|建议|明确|提出[，,：:]|提到)"
# a sentence that opens a matter: 会议指出 / 会议还听取了 / 会议讨论并原则通过 / 会上，
OPENER = re.compile(rf"(?:会议{_ALSO}(?:(?P<agenda>{AGENDA_VERB})|(?P<comment>{COMMENT_VERB}))|(?P<at>会上[，,]))")
# a clause of a list of what the meeting heard: …；听取了X关于…的汇报；
LISTED_REPORT = re.compile(r"(?:还)?听取(?:和讨论|并审议|和审议)?了")
# a numbered point inside a matter: 一要… / 二是… (the number as printed)
NUMBERED_POINT = re.compile(r"(?P<n>[一二三四五六七八九十]{1,3})(?:要|是)(?![的否])")
# a sentence that announces numbered points: 提出了四方面要求：一是…
POINTS_AHEAD = re.compile(r"[：:]\s*一(?:是|要)")
# the stock last line of a readout: not a matter
CLOSING = re.compile(r"会议还(?:研究|讨论)了?其他(?:事项|工作)")
# sentences of a readout end at 。！？ and at ； (a list of heard reports is cut by ；)
SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
