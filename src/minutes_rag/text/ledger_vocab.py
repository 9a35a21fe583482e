"""The vocabulary of decisions, assignments and reports in official minutes.

One copy of each convention the ledger extractors use: how a responsible unit is named
(市住建局, 市委组织部, 苏州工业园区管委会; Bureau of Transportation, staff), which addressees
are generic (各地各部门各单位, 各有关部门), the verbs that open a decision (原则同意, 审议通过;
Adopted, Passed to Second Reading), the roles of units in a task (牵头, 会同, 配合), how a
deadline is written (年底前, 6月30日前; by March 1), and how English votes are printed
(Y-5, 4-1, Aye (5)). The grammar that puts them together is in ``ledger/zh.py`` and
``ledger/en.py``; months and item markers come from ``patterns``.
"""

from __future__ import annotations

import re

from minutes_rag.text.patterns import EN_MONTH, ZH_ENUMERATOR

# An item marker opening a sentence (一、 （一） 1. 1、 ①), which a quote leaves out.
ZH_ITEM_MARK = re.compile(rf"\s*(?:{ZH_ENUMERATOR}(?!\d)|[一二三四五六七八九十百]+[．.]|\d{{1,2}}\s*[)）]|[①-⑳])\s*")
ZH_HEAD_MARK = re.compile(r"\s*[一二三四五六七八九十百]+[、．.]")  # a top-level item: 一、

# --------------------------------------------------------------------------- Chinese units

# Characters a unit name ends with. Longer suffixes are tried before shorter ones by
# ``zh.py`` (it looks at every position where one ends).
ZH_UNIT_SUFFIXES = (
    "管委会", "委员会", "办公室", "领导小组", "指挥部", "工作组", "专班", "督导组", "指导组", "检查组", "巡视组",
    "巡察组", "研究室", "中心",
    # party and collective bodies address tasks in party and discipline readouts: 区政府党组要…, 全省纪检监察机关要…
    "党工委", "党组", "党委", "机关",
    "支队", "大队", "总队", "集团", "分公司", "公司", "分行", "支行", "中支", "银行", "海关", "法院",
    "检察院", "监委", "工商联", "总工会", "妇联", "团市委", "团委", "科协", "残联", "红十字会", "政府",
    "街道", "园区", "新区", "景区", "开发区", "高新区", "示范区", "自贸区",
    "局", "委", "办", "厅", "署", "院", "所", "站", "部", "处", "队", "馆", "会",
    "市", "区", "县", "镇", "乡",
)
_SUFFIX_CHARS = "".join(sorted({s[-1] for s in ZH_UNIT_SUFFIXES}))
ZH_SUFFIX_END = re.compile(f"[{_SUFFIX_CHARS}]")

# A named unit opens with a level or a place: 市, 省, 区, 县, 团市委, 苏州工业园区, 张家港市,
# 吴江区, 国家…, 中国…, or is a known enterprise/agency form (…集团, …公司, …银行, …海关).
ZH_UNIT_START = re.compile(
    r"^(?:市|省|区|县|镇|乡|团市委|国家|中国|中央|人行|武警|"
    r"[^\W\d_了的在是会议听取要请由对就将把为与和及或等这那其该各我们你他她它年月日并从向以按据经已]{1,5}?(?:市|区|县|镇|乡|街道|省|州|盟|旗))"
)
# 各 before a team of a kind: 各巡回督导组, 各市委巡回指导组 (each team is named by its kind)
ZH_TEAM_SUFFIXES = ("巡回指导组", "巡回督导组", "指导组", "督导组", "工作组", "检查组", "巡视组", "巡察组", "工作专班", "专班")
ZH_TEAM_START = re.compile(rf"^各(?=[^\W\d_，。；、]{{0,8}}?(?:{'|'.join(ZH_TEAM_SUFFIXES)}))")
# A unit named without its level (county and district minutes: 住建局牵头, 发改委要…, 城投公司要…):
# a short name ending in one of these, read only before a role or a modal (bare_unit in ledger/)
ZH_BARE_UNIT_END = ("管委会", "办公室", "公司", "集团", "中心", "支队", "大队", "总队", "局", "委", "办", "厅")
# words that end like a unit and are none: 新发展格局, 挂牌督办, 各委办局
ZH_NOT_BARE_UNIT = (
    "格局", "布局", "大局", "全局", "开局", "结局", "当局", "时局", "僵局",  # (not 政局: 财政局)
    "督办", "承办", "主办", "举办", "协办", "包办", "查办", "交办", "转办", "代办", "领办", "创办", "兴办", "委办局",
)
# The people of a unit as the addressee: 省政府党组成员要…, 各级党委（党组）主要负责同志要…;
# only before a modal (…等单位负责同志参加会议 names who attended, not an addressee)
ZH_PEOPLE_OF_UNIT = re.compile(
    r"(?:党组|党委)?(?:主要负责同志|负责同志|主要负责人|领导班子成员|班子成员|领导班子|成员)(?=要|须|必须|务必|带头|应|均要)"
)
# Bodies named by their role in the matter, not by name: 请起草部门…, 承办单位要…
ZH_ROLE_BODIES = ("行业主管", "业务主管", "起草", "承办", "责任", "牵头", "主管", "职能", "属地", "监管", "执法")
ZH_ENTERPRISE_END = re.compile(r"(?:集团|公司|银行|分行|支行|海关|中支|供电|电信|移动|联通)$")

# Generic addressees: kept in the ledger, marked generic.
ZH_GENERIC = re.compile(
    r"^(?:全市|市|省|区|县|全省|全区|全县)?(?:各级|各地|各市|各区|各县|各乡镇|各镇|各街道|各板块|各|相关|有关|各有关|各相关|市各有关|市有关|市相关)"
    r"(?:[\u4e00-\u9fff（）()、]{0,12})$"
)
ZH_GENERIC_WORDS = ("各地", "各部门", "各单位", "相关部门", "有关部门", "相关单位", "有关单位", "各区", "各县", "各市")

# Words that may follow a unit name directly: a role, a list separator, or the start of
# the task. A unit candidate is accepted only when followed by one of these.
ZH_ROLE_LEAD = ("作为牵头单位", "为牵头单位", "负总责", "牵头", "负责", "主抓", "主责")
# 负责同志参加会议 / 负责人: the people of a unit, not a role
ZH_NOT_ROLE = ("负责同志", "负责人")
ZH_ROLE_PARTNER_BEFORE = ("会同", "协同", "联合", "商", "会", "同")  # 由A会同B…
ZH_ROLE_PARTNER_AFTER = ("配合", "协助", "参与", "协同", "共同")  # A牵头，B配合
ZH_MODAL = (
    "要", "须", "必须", "需", "需要", "应", "应当", "务必", "抓紧", "尽快", "要抓紧", "要尽快", "切实",
    "认真", "进一步", "继续", "加快", "抓好", "做好", "牵头", "负责", "安排",
    "都要", "均要", "也要", "还要", "更要",
)
ZH_FOLLOWERS = (
    *ZH_ROLE_LEAD, *ZH_ROLE_PARTNER_BEFORE, *ZH_ROLE_PARTNER_AFTER, *ZH_MODAL,
    "关于", "就", "对", "根据", "按照", "依据", "结合", "围绕", "针对", "于", "在", "做", "作",
    "汇报", "报告", "说明", "介绍", "的", "等", "分别", "组织", "研究", "制定", "起草", "修改",
    "完善", "提出", "开展", "推进", "落实", "统筹", "按", "安排", "指导", "督促", "将", "把", "向", "报", "从", "以",
    "进行", "编制", "会商", "同步", "协调", "立即", "迅速", "全力", "积极", "主动", "严格", "持续",
    "和", "及", "与", "以及", "、", "，", "。", "；", "：", "（", "(",
)

# --------------------------------------------------------------------------- Chinese verbs

# Decision openers, longest first (so 原则同意 wins over 同意). Clause-initial only, after an
# optional 会议 / 经研究 / 会议决定.
ZH_DECISION_VERBS = (
    "原则同意", "原则通过", "审议并原则通过", "审议通过", "研究通过", "讨论通过", "审定通过", "会议通过",
    "同意", "通过", "批准", "原则批准", "不同意", "不予同意", "暂缓审议", "暂缓实施", "暂缓", "决定",
)
ZH_DECISION_LEAD_IN = re.compile(r"(?:会议|经研究[，,]?|经会议研究[，,]?|会议研究[，,]|会议经研究[，,]?)?(?:讨论|研究|审议)?(?:并)?")

# A disposition opening a clause without 会议: 并决定将…, 决定任命…, 建议提请…审议 (people's
# congresses' 主任会议, readouts after a decision: 会议讨论并原则通过《X》，决定将草案提请…审议)
ZH_DISPOSITION = re.compile(
    r"(?:并|同时)?(?P<verb>决定|建议)(?=将|对|向|提请|任命|免去|追授|授予|给予|接受|成立|撤销|于\d|在)"
)
# What the meeting heard: 听取了 / 听取和讨论了 / 听取并审议了 / 还听取了
ZH_HEARD = r"(?:还)?听取(?:和讨论|并审议|和审议|并讨论)?了?"

# Assignment triggers before the unit list: 由X…, 请X…, 责成X…, 明确由X…
ZH_ASSIGN_TRIGGERS = ("明确由", "责成", "交由", "委托", "要求", "请", "由")

# After a unit: it is asked to report (请X汇报…, 请X就…作专题汇报, 请X于下次会议汇报), not to
# act; "请X完善方案，并向市政府报告" is a task with a report back, and reads as an assignment
ZH_REPORT_REQUEST = re.compile(
    r"(?:(?:在|于)[^，。；;、向]{1,15}?)?(?:(?:就|对)(?P<subject>[^，。；;向]{1,60}?))?(?:作|做|进行)?(?:专题|书面)?"
    r"(?:汇报|报告)(?!了)(?P<subject2>[^，。；;]*)"
)
# After a unit: what it reported at the meeting (X就…作了汇报, X就…进行了汇报, X汇报了…)
ZH_REPORT_DONE = re.compile(
    r"(?:就|对)(?P<subject>[^，。；;]{1,60}?)(?:作|做|进行)了(?:专题|工作|情况)?(?:汇报|报告|说明)"
    r"|(?:汇报|报告|通报|介绍)了(?P<subject2>[^。；;]*)"
)
# Report: 会议听取了X关于…的汇报 / 原则同意X关于…的汇报 / X汇报了… / 请X…汇报
ZH_REPORT_NOUNS = ("情况汇报", "工作汇报", "汇报", "情况报告", "工作报告", "报告", "情况说明", "说明")

# Deadlines as written: 年底前, 6月30日前, 2022年3月底前, 9月底之前, 一季度前, 年内, 30个工作日内
ZH_DEADLINE = re.compile(
    r"(?:(?:\d{4}|[〇零一二三四五六七八九]{4})\s*(?:年\s*|(?=年[底末中]))|[今明当本](?=年[底末中])|今年|明年|本年度?|当年)?"
    r"(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|上旬|中旬|下旬|份)?|年底|年末|年中|上半年|下半年|"
    r"(?:第)?[一二三四1-4]季度(?:末)?|春节|国庆|汛期|元旦|月底|本月底|下月底)"
    r"\s*(?:前|之前|以前)"
    r"|(?:今年|本年度?|年)内"
    r"|\d+\s*个?\s*(?:工作日|日|天|周|个月|月)\s*内"
)

# --------------------------------------------------------------------------- English

EN_DATE = rf"(?:{EN_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|{EN_MONTH}\s+\d{{4}})"

# Dispositions. Printed in capitals as a column of the minutes (Portland, most US councils),
# or after "Disposition:"/"Action:", or as "the motion carried", "was adopted".
_UP_DATE = rf"(?:{EN_MONTH.upper()}\s+\d{{1,2}}(?:ST|ND|RD|TH)?(?:,?\s+\d{{4}})?|\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?)"
_UP_TIME = r"(?:\s+AT\s+\d{1,2}(?::\d{2})?\s*[AP]\.?\s?M\.?)?"
# an all-capitals name: COMMISSIONER OF FINANCE AND ADMINISTRATION (stops at "Portland", "48")
_UP_NAME = r"[A-Z][A-Z&'.\-]*(?:,?\s(?:[A-Z][A-Z&'.\-]*|&))*"
EN_DISPOSITION_CORE = (
    rf"(?:SUBSTITUTE\s+)?PASSED\s+TO\s+(?:SECOND|THIRD)\s+READING(?:\s+AS\s+AMENDED)?(?:\s+{_UP_DATE})?{_UP_TIME}"
    rf"|(?:SUBSTITUTE\s+)?(?:ADOPTED|APPROVED|ACCEPTED|PASSED|CONFIRMED|CARRIED)(?:\s+AS\s+AMENDED)?"
    r"|PLACED\s+ON\s+FILE|RECEIVED\s+AND\s+FILED|FILED"
    rf"|REFERRED\s+(?:BACK\s+)?TO\s+{_UP_NAME}"
    rf"|CONTINUED(?:\s+(?:TO|UNTIL)\s+{_UP_DATE})?{_UP_TIME}"
    r"|FAILED(?:\s+TO\s+PASS)?|DENIED|DEFEATED|REJECTED|TABLED|WITHDRAWN|POSTPONED(?:\s+INDEFINITELY)?"
    r"|RESOLVED|AGREED|NOTED|RECEIVED"  # British and Commonwealth minutes: RESOLVED - That ...
)
EN_DISPOSITION_UPPER = re.compile(rf"(?<![A-Za-z])(?:{EN_DISPOSITION_CORE})(?![A-Za-z])")

# The same words in ordinary case, accepted only in a disposition context.
EN_DISPOSITION_WORD = (
    r"(?:passed\s+to\s+(?:second|third)\s+reading(?:\s+as\s+amended)?|adopted(?:\s+as\s+amended)?|"
    r"approved(?:\s+as\s+amended)?|accepted(?:\s+as\s+amended)?|passed(?:\s+as\s+amended)?|confirmed|carried|"
    r"placed\s+on\s+file|received\s+and\s+filed|referred\s+(?:back\s+)?to\s+[^.;()\n]{3,80}?(?=[.;()\n]|\s{2}|$)|"
    rf"continued(?:\s+(?:to|until)\s+(?:{EN_DATE}|the\s+next\s+meeting|a\s+(?:later|future)\s+(?:date|meeting)))?|"
    r"failed(?:\s+to\s+pass)?|denied|defeated|rejected|tabled|withdrawn|postponed(?:\s+indefinitely)?)"
)
# "Resolved: That the report be noted." / "Agreed - that ..." opening a line
EN_RESOLVED = re.compile(r"(?m)^[ \t]*(Resolved|Agreed)\b(?=\s*(?:[:–\-]|,?\s+that\b))")
EN_DISPOSITION_LABELLED = re.compile(
    rf"\b(?:Disposition|Action(?:\s+Taken)?|Council\s+Action|Result|Outcome|Final\s+Action)\s*[:\-–]\s*({EN_DISPOSITION_WORD})",
    re.IGNORECASE,
)
_EN_SUBJECT_NOUN = (
    r"(?:motion|main\s+motion|substitute\s+motion|amendment|resolution|ordinance|item|report|"
    r"consent\s+(?:agenda|calendar)|minutes|recommendation|bill|appointments?|request|application|appeal|contract|agreement)"
)
# "The motion carried 4-1", "the Consent Agenda was adopted", "The minutes of the May 24
# meeting were approved", "Motion to award the contract ... failed"
EN_DISPOSITION_SENTENCE = re.compile(
    rf"\b(?:the\s+)?(?:{_EN_SUBJECT_NOUN}|it|which)"
    rf"(?:(?:\s+(?:No\.?\s*)?[\w.\-]+)?\s+(?:was|were|is|has\s+been|have\s+been)\s+"
    rf"|\s+(?:of|for|on|to|regarding)\s+[^.;\n]{{1,120}}?\s+(?:was\s+|were\s+|is\s+|has\s+been\s+|have\s+been\s+)?"
    rf"|(?:\s+No\.?\s*[\w.\-]+)?\s+)"
    rf"(?:unanimously\s+)?({EN_DISPOSITION_WORD})(?!\s+(?:by|that|to\s+be)\b)",
    re.IGNORECASE,
)
# "(Y-5) 184349": the ordinance number printed as the disposition means it passed.
EN_ORDINANCE_NUMBER = re.compile(r"\(\s*Y\s*-\s*\d+(?:\s*[;,]\s*N\s*-\s*\d+[^)]*)?\)\s+(\d{5,7})(?!\d)")

# Votes as printed.
EN_VOTE = re.compile(
    r"\(?\bY\s*-\s*\d+(?:\s*[;,]?\s*N\s*-\s*\d+(?:\s+[A-Z][a-z]+(?:,\s*[A-Z][a-z]+)*)?)?\)?"
    r"|\b(?:Ayes?|Yeas?|Yes)\s*[:(]?\s*\d+\)?(?:\s*[,;]?\s*(?:Nays?|Noes?|No)\s*[:(]?\s*\d+\)?)?"
    r"|(?<![\d,.$/-])\b[0-9]\s*-\s*[0-9]\b(?![\d,/-])(?!\.\d)"
    r"|\b(?:unanimously|unanimous(?:\s+vote)?)\b",
    re.IGNORECASE,
)

# Assignments. The addressee comes from the sentence itself.
EN_DIRECTED = re.compile(
    r"\b((?:City\s+|County\s+|Town\s+|the\s+)?(?:staff|Staff|City\s+Manager|City\s+Attorney|City\s+Clerk|Clerk|"
    r"Manager|Administrator|Director|Department|Bureau|Office)(?:\s+of\s+[A-Z][\w&]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w&]*)*)?)"
    r"\s+(?:was|were|is|are|has\s+been|have\s+been)\s+(?:directed|asked|instructed|requested|tasked|authorized)\s+to\s+",
)
EN_DIRECTS = re.compile(
    r"\b(?:Council|Board|Commission|Committee|Mayor|Chair)\s+(?:directed|asked|instructed|requested|tasked)\s+"
    r"((?:the\s+)?(?:City\s+)?(?:staff|Staff|[A-Z][\w&]*(?:\s+(?:of\s+|and\s+|&\s+)?[A-Z][\w&]*)*))\s+to\s+",
)
EN_WILL = re.compile(
    r"\b((?:Council\s*member|Councilmember|Councillor|Councilor|Commissioner|Alderman|Alderwoman|Supervisor|Trustee|"
    r"Member|Mayor|Vice\s+Mayor|Director|Manager|Chief|Treasurer|Auditor|Clerk)\s+[A-Z][A-Za-z'\-]+"
    r"|(?:The[ \t]+|the[ \t]+)?(?:[A-Z][\w&'\-]*[ \t]+){0,4}(?:Director|Manager|Attorney|Clerk|Engineer|Administrator|Chief|Officer|"
    r"Department|Bureau|Office|Division|Committee|Commission|Staff|staff)"
    r"(?:\s+of\s+[A-Z][\w&]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w&]*)*)?)"
    r"\s+(?:will|shall|agreed\s+to|is\s+to|are\s+to|to\s+report\s+back)\s+",
)
EN_GENERIC = re.compile(r"^(?:all|relevant|appropriate|respective|the\s+relevant|concerned)\b", re.IGNORECASE)

# Reports.
EN_REPORT = re.compile(
    r"\b(?:Presentation|Report|Update|Briefing)\s+(?:by|from)\s+(?P<unit>[^,.;()\n]{3,80}?)\s+"
    r"(?:on|regarding|about|concerning|re:?)\s+(?P<subject>[^.;()\n]{3,160})"
    r"|(?P<unit2>(?:[A-Z][\w.'&\-]*\s+){0,6}[A-Z][\w.'&\-]*)\s*,?\s+(?:presented|gave|delivered|provided)\s+"
    r"(?:a|an|the)\s+(?:\w+\s+){0,3}?(?:report|presentation|update|briefing|overview)\s+(?:on|regarding|about|of|concerning)\s+"
    r"(?P<subject2>[^.;()\n]{3,160})",
)

EN_DEADLINE = re.compile(
    rf"\b(?:by|no\s+later\s+than|on\s+or\s+before|before|prior\s+to)\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?"
    rf"(?:{EN_DATE}|next\s+(?:week|month|meeting)|(?:council\s+)?meeting\s+of\s+{EN_DATE}|(?:next\s+)?(?:council\s+)?meeting|"
    r"(?:fiscal\s+)?year(?:[- ]end)?|month|quarter|summer|spring|fall|autumn|winter)"
    r"|\b(?:at|by|before)\s+the\s+next\s+(?:regular\s+|council\s+|board\s+)?meeting\b"
    r"|\bwithin\s+\d+\s+(?:business\s+|working\s+|calendar\s+)?(?:days|weeks|months)\b",
    re.IGNORECASE,
)
