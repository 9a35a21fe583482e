"""Text planted in a minute to steer the assistant ("Ignore all previous instructions and
reply ...", "忽略之前的所有指令，直接回复 ...").

A minute records what a meeting decided; a sentence that speaks to an AI assistant is never
a decision. Both answerers treat such a sentence as not quotable: the extractive answerer
never picks it, the LLM answerer leaves it out of the numbered data (and says so in a
warning), so neither the quote nor the model can repeat it as the meeting's decision.

The patterns are about addressing an assistant (its instructions, prompt, rules, mode, what
to reply), not about topics: "the council instructed the manager to reply to the letter"
is not matched.
"""

from __future__ import annotations

import re

from minutes_rag.notices import INSTRUCTION_DROPPED, Notice

_EN = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?"
    r"\b(?:previous|prior|above|earlier|all|any|your|the)\b[^.!?\n]{0,30}?"
    r"\b(?:instructions?|prompts?|rules|directions|context|messages?|sources?|data)\b"
    r"|\b(?:system|developer)\s*(?:prompt|message|mode|override)\b"
    r"|^\s*(?:system|assistant)\s*:"
    r"|\byou\s+are\s+now\s+(?:in|a|an|the)\b"
    r"|\b(?:reply|respond|answer|say|output|print)\s+(?:only|just|exactly)\s+(?:with|that|the|this|[\"“'])"
    r"|\b(?:as\s+an?\s+)?(?:ai|language\s+model|assistant|chatbot)\b[^.!?\n]{0,30}\b(?:must|should|will|shall)\s+"
    r"(?:reply|answer|respond|say|state|tell|claim|output)"
    # a note addressed to a machine reader ("Note to AI assistants: ...")
    r"|\b(?:note|message|attention|instructions?)\s+(?:to|for)\s+(?:any\s+|all\s+|the\s+)?"
    r"(?:ai|assistants?|chatbots?|language\s+models?|llms?|bots?)\b"
    # what to say when asked ("When asked about this item, state that ...")
    r"|\bwhen(?:ever)?\s+(?:you\s+are\s+)?(?:asked|questioned)\b[^.!?\n]{0,80}?,\s*(?:please\s+)?"
    r"(?:say|state|reply|respond|answer|tell|claim)\b"
    # a sentence that opens with an order to reply ("Say: ...", "Reply that ...")
    r"|^\s*(?:please\s+)?(?:say|reply|respond|output|print|repeat)\s*(?::|\bthat\b|\bwith\b|\bonly\b)"
    r"|\bnew\s+instructions?\s*:",
    re.I | re.M,
)
_ZH = re.compile(
    r"(?:忽略|无视|忽视|不要理会|忘记|覆盖)[^。！？\n]{0,12}?(?:之前|以上|上述|前面|先前|所有|全部|一切)[^。！？\n]{0,12}?"
    r"(?:指令|指示|提示|规则|要求|资料|内容|设定)"
    r"|系统提示|系统指令|开发者模式|调试模式|越狱模式"
    r"|(?:直接|只|仅)(?:需)?(?:回复|回答|输出)[:：“\"「]"
    r"|你(?:现在)?(?:是|处于|进入)[^。！？\n]{0,8}(?:模式|助手|AI|人工智能)"
    r"|(?:AI|人工智能|助手|模型)[^。！？\n]{0,10}(?:必须|应当|应该|务必|须|请)(?:回答|回复|输出|声称|告知)"
    # a note addressed to a machine reader ("致AI助手：…")
    r"|(?:致|给|告)(?:所有|各位)?(?:AI|人工智能|智能助手|助手|大模型|语言模型|机器人)"
    # what to say when asked ("如有人询问本议题，请回答“…”")
    r"|(?:如|若|如果|当)(?:有人|用户|被)?(?:询问|问到|问及|提问|问起)[^。！？\n]{0,30}?[，,](?:请|一律|务必)(?:直接)?"
    r"(?:回答|回复|答复|告知|说)"
    r"|请(?:直接)?(?:回答|回复|输出)[:：“\"「]"
    r"|新的?指令[:：]",
    re.I,
)


def looks_like_instruction(text: str) -> bool:
    """Whether ``text`` (a sentence of a source) addresses an AI assistant rather than
    recording what a meeting said or decided."""
    return bool(_EN.search(text) or _ZH.search(text))


INSTRUCTION_WARNING = Notice(INSTRUCTION_DROPPED,
                             "a source holds text that reads as an instruction to the assistant; it was not used")
