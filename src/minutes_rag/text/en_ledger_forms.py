"""English ledger vocabulary beyond the council columns of ``text.ledger_vocab``: how
boards, central-bank committees, working groups and steering committees write down what
they decided, who will do what, and who reported (used by ``ledger.en_forms``).

Each pattern was written from the ways of writing listed in issue 16 and checked on the
development labels (eval/ledger_dev_en_styles.jsonl), not on single documents.
"""

from __future__ import annotations

import re

# "Action: Approved, by Council -- A motion was made ... [Pass]" (a labelled action line:
# the label says it is the disposition, whatever its words)
ACTION_LINE = re.compile(
    r"(?m)^[ \t]*(?:Action|Disposition|Final\s+Action|Council\s+Action|Board\s+Action)[ \t]*:[ \t]*"
    r"(?P<what>[^\n]*?[A-Za-z][^\n]*?)[ \t]*(?:--|—|$)"
)
PASS_FAIL = re.compile(r"\[(Pass|Fail)\]\s*$", re.MULTILINE)

# A disposition standing as its own line at the end of an item ("GRANTED", "No Violation",
# "Violation - Written Warning", "Deferred", "Acknowledged"), or closing its last sentence
# (". Granted").
_DISPOSITION_WORDS = (
    r"GRANTED|Granted|APPROVED|Approved|DENIED|Denied|DEFERRED|Deferred|Defer|CONTINUED|Continued|"
    r"RESCHEDULED|Rescheduled|WITHDRAWN|Withdrawn|ACKNOWLEDGED|Acknowledged|No\s+Violation|NO\s+VIOLATION|"
    r"Violation|VIOLATION|Written\s+Warning|Dismissed|DISMISSED|Suspended|SUSPENDED|Revoked|REVOKED|"
    r"Placed\s+on\s+File|PLACED\s+ON\s+FILE|Laid\s+Over|LAID\s+OVER|Tabled|TABLED|Rejected|REJECTED|"
    r"Accepted|ACCEPTED|Licensee\s+failed\s+to\s+appear|No\s+Action|NO\s+ACTION|"
    r"The\s+Board\s+voted\s+to\s+\w+"
)
DISPOSITION_LINE = re.compile(
    rf"(?m)^[\W_]{{0,3}}(?P<what>{_DISPOSITION_WORDS})(?=[ \t]*(?:$|[-–(,:]|\s+\w))"
)
DISPOSITION_LINE_END = re.compile(r"(?<=\.\s)(?P<what>Granted|GRANTED|Approved|APPROVED|Denied|DENIED)[ \t]*$", re.MULTILINE)

# Decisions written as a sentence of a committee, a working group or a board.
FORMAL_DECISION = re.compile(
    r"\bBy\s+(?:a\s+)?(?:unanimous|majority|notation|voice)\s+vote\b"
    r"|\b(?:voted|votes)\s+(?:unanimously\s+)?to\b"
    r"|\bunanimously\s+(?:approved|adopted|agreed|voted|elected|ratified)\b"
    r"|\bratified\b"
    r"|\b(?:decided|resolved)\s+(?:today\s+)?(?:to|that)\b|^\W*Decided\b"
    r"|(?<!\bhad\s)(?<!\byou\s)\bagreed\s+(?:to|that|on)\b|^\W*Agreed?\s+to\b"
    r"|\bconsensus\s+(?:recorded|in\s+the\s+\w+|to|that|is|was)\b"
    r"|\b(?:no|without)\s+objections?\b"
    r"|\bhumm?(?:s|ing)?\s+(?:for|on|in\s+(?:the\s+)?(?:room|favou?r))\b"
    r"|\bshow\s+of\s+hands\b"
    r"|\b(?:defer|deferred)\s+(?:until|till|to\s+(?:the\s+)?next)\b"
    r"|(?<!\bthat\s)(?<!\bwhich\s)\b(?:is|was|were|are|has\s+been|have\s+been)\s+(?:\w+/)?(?:approved|adopted|accepted|elected|ratified)\b"
    r"|\bready\s+for\s+(?:WG\s*)?last\s+call\b|\b(?:go\s*to|issue|start)\s+(?:a\s+)?WGLC\b|\bcall\s+for\s+adoption\b"
    r"|\b(?:moving\s+ahead\s+with|will\s+proceed\s+with)\b"
    r"|\b(?:closing|closed)\s+as\b",
    re.IGNORECASE | re.MULTILINE,
)
# a cheap first look: a line without any of these words holds no such decision (measured:
# the full pattern on every line of the 186 English dev minutes doubled the ledger's time)
FORMAL_HINT = re.compile(
    r"vote|ratif|decide|resolve|agree|consensus|objection|hum|hands|defer|approved|adopted|accepted|elected|"
    r"last\s+call|WGLC|adoption|moving\s+ahead|proceed|clos",
    re.IGNORECASE,
)
# "20 in favor, 4 not in favor" printed with a show of hands
IN_FAVOUR = re.compile(r"\b\d+\s+in\s+favou?r,?\s+(?:\d+|none)\s+(?:not\s+in\s+favou?r|against|opposed)\b", re.IGNORECASE)

# Who: a name of one to three capitalised words, an @handle, or a short lower-case handle as
# a speaker ("mt:", "ekr:"); words that open sentences without naming anyone are not names, nor
# is an office behind an article ("The Manager shall ...", "Each Member will ...": directive text).
_NAME = r"@?[A-Z][\w'.\-]*(?:[ \t]+[A-Z][\w'\-]*){0,2}"
NOT_A_NAME = re.compile(
    r"^(?:It|This|That|These|Those|There|Here|We|They|He|She|You|I|The|A|An|Some|Nothing|Next|Remember|Reminder|"
    r"Please|Need|Needs|Want|Plan|Plans|Going|Try|Time|Due|Agree|Agreed|Decided|Hoping|Looking|Asking|Proposal|"
    r"Goal|Note|Notes|Moving|Back|Work|Working|Discussion|Question|Questions|Action|Actions|Meeting|Meetings|"
    r"Everyone\s+\w+|(?:The|A|An|Each|Any|Every|This|That|These|Those|Such)\s+.+|Also|And|But|So|If|When|Then|Now|Today|Tomorrow|Still|Ok|OK|Yes|No|Thanks|Let|Let's|"
    r"Who|What|Which|How|Why|Where|Chair|Chairs|Council|Committee|Board|Group|Team|WG|TAG|TSC|"
    r"Motion|Resolution|Ordinance|Item|Report|Contract|Agreement|Application|Request|Petition|Bill|Amendment|"
    r"Failure|Prior|Notice|Date|Location|Manager|Hours|Attorney|Owner|Applicant|Staff|Members?|Participants|Attendees|"
    rf"Inc|Co|Corp|Ltd|LLC|LLP|Jr|Sr|St|No|Dr|Mr|Mrs|Ms|{_DISPOSITION_WORDS})\.?$"
)
_ACTION_LABEL = r"(?:(?:ACTION|Action(?:\s+items?)?)\s*:\s*)"
# "Ryan will own ...", "Mara owns the action item", "..., Annabelle will take the rest to the list"
NAMED_WILL = re.compile(
    rf"(?:^[ \t]*(?:[-*+>][ \t]+)?|(?<=[.;,:\]]\s)){_ACTION_LABEL}?"
    rf"(?P<who>{_NAME})\s+(?:will|is\s+going\s+to|agreed\s+to|owns)\s+(?!be\b|have\b)(?P<task>[a-z]\w*)",
    re.MULTILINE,
)
# "Carol to turn these notes ...", "ACTION: Tess to ping ...", "Action item: Herve to start ...":
# only where a task list puts it (a line or bullet start, after "ACTION:" or a full stop)
NAMED_TO = re.compile(
    rf"(?:^[ \t]*(?:[-*+>][ \t]+)?{_ACTION_LABEL}?|(?<=[.\]]\s){_ACTION_LABEL}?|{_ACTION_LABEL})"
    rf"(?P<who>{_NAME})\s+to\s+(?P<task>[a-z]\w*)",
    re.MULTILINE,
)
# the speaker of a line of notes: "Tess: ...", "BS - ...", "Martin Thomson (MT): ...", "mt: ..."
SPEAKER = re.compile(
    r"^[ \t]*(?:[-*+>][ \t]+)?(?P<who>@?[A-Z][\w'.\-]*(?:[ \t]+[A-Z][\w'\-]*){0,2}|[a-z]{2,8})"
    r"(?:[ \t]*\([^)\n]{1,20}\))?[ \t]*(?::|[ \t]-[ \t])[ \t]*",
    re.MULTILINE,
)
# what a speaker says they will do: "I'll ...", "I will ..." ("I'll be on vacation" is not a task)
FIRST_PERSON_TASK = re.compile(
    r"\b[Ii](?:'ll|’ll|\s+will|\s+am\s+going\s+to|'m\s+going\s+to)\s+(?!be\s+(?!\w+ing\b))(?P<task>[a-z]\w*)"
)
# ... or with the subject left out, opening the statement or a sentence of it: "Will turn
# that into a PR", "Going to try to coordinate this again", "to take it to the list"
ELIDED_TASK = re.compile(r"(?:[Ww]ill|[Gg]oing\s+to)\s+(?!be\b|have\b|need\b|not\b)(?P<task>[a-z]\w*)")
ELIDED_TO = re.compile(r"to\s+(?P<task>[a-z]\w*)")
# a decision is stated, not asked or made conditional
NOT_STATED = re.compile(r"^\W*(?:if|when|unless|whether|once)\b|\?\s*\W*$", re.IGNORECASE)
# "agreed" with people as its subject ("participants agreed that ...", "most members agreed",
# "they also agreed to ...") records a shared view in a summary of discussion; the body's own
# decision names the body ("the Committee agreed to ...", "It was agreed", "We agreed to defer").
# Read on the words of the clause before "agreed" (issue 16: 48 of the 67 wrong FOMC decisions).
VIEW_AGREED = re.compile(r"\b(?:agreed|concurred)\b", re.IGNORECASE)
PEOPLE_SUBJECT = re.compile(
    r"\b(?:participants|members|they|those|attendees|panelists|speakers|commenters|everyone)\b"
    r"(?:\s+(?:\w+ly|also|again|all|both|who\s[^,]*))*\s*$",
    re.IGNORECASE,
)
# ... also when the people are the subject of the whole sentence and "agreed" its second verb
# ("Participants requested more analysis and agreed that ...")
PEOPLE_SENTENCE = re.compile(
    r"^\W*(?:(?:however|meeting|most|many|some|all|several|the|these)\s+)*(?:participants|members|they)\b",
    re.IGNORECASE,
)
SECOND_VERB = re.compile(r"\band\s+(?:\w+ly\s+)?$", re.IGNORECASE)
# the date of the next regular meeting is a calendar notice, not a decision ("It was agreed
# that the next meeting of the Committee would be held on Tuesday, May 2")
NEXT_MEETING = re.compile(r"[^.;]{0,20}?\bnext\s+(?:regular\s+)?meeting\b[^.;]{0,60}?\b(?:would|will|shall)\s+be\s+held\b", re.IGNORECASE)
# future tense in a rule or directive the meeting adopted or restated ("The Manager shall clear
# with the Committee ...", "... the Committee will continue to monitor ..."): standing language,
# not a task someone took on at the meeting
STANDING_VERB = re.compile(r"\bshall\b", re.IGNORECASE)
# a task stated under a condition ("If incoming information ..., the Committee will ...")
CONDITIONAL = re.compile(r"^\W*(?:if|when|unless|whether|once|should)\b", re.IGNORECASE)
# the meeting's own body, named by its kind alone, speaking of what it will do: a stated
# policy or intention ("the Committee will respond to changes ..."); a body given a task is
# named ("the Finance Committee will review ...")
OWN_BODY = re.compile(r"^(?:the\s+)?(?:Committee|Commission|Board|Council|Group|Working\s+Group|WG)$", re.IGNORECASE)
# "Yves covered the changes", "Julian gave an overview of", "Mark presented the changes",
# "Preethi's presentation was received", "Mark discussed the status of"
NAMED_REPORT = re.compile(
    rf"(?:^|(?<=[.;:]\s)|(?<=[-*+]\s))(?P<who>{_NAME})(?:'s|’s)?\s+"
    r"(?:presented|presentation\s+(?:was|on|of)|gave\s+(?:an?\s+)?(?:overview|update|report|presentation|summary|briefing)|"
    r"covered\s+the|discussed\s+the\s+status|reported\s+(?:on|that)|provided\s+an?\s+(?:update|overview|report))\b",
    re.MULTILINE,
)
# what a speaker says they will do at the meeting itself, or a vote they cast, is not a task
# ("I'll walk you through the big bullets", "I'll mention that ...", "I'll check my box"),
# nor is what they will have become ("I'll have retired"); read on the words after "will"
NOT_A_TASK = re.compile(
    r"(?:also\s+|just\s+)?(?:have\b|talk\s+through|walk\s+(?:you|us|everyone)\s+through|mention|hand\s+(?:it|this)|"
    r"check\s+(?:my|the)\s+(?:check)?box|put\s+my\s+(?:check)?box|vote\b|abstain)",
    re.IGNORECASE,
)
# adverbs opening a line of notes are not people ("Probably will delay ...")
NOT_A_NAME_ADVERB = re.compile(
    r"^(?:Probably|Possibly|Perhaps|Maybe|Hopefully|Likely|Definitely|Certainly|Conservatively|Tentatively)$"
)
# a line can state a task only with one of these
TASK_HINT = re.compile(r"\bwill\b|\bto\s|\bowns\b|'ll\b|’ll\b|\bshall\b|\bgoing\b", re.IGNORECASE)
REPORT_HINT = re.compile(r"present|gave|covered|discussed|reported|provided", re.IGNORECASE)
GENERIC_WHO = re.compile(r"^(?:everyone|everybody|all|someone|somebody|anyone|folks|people)\b", re.IGNORECASE)
