"""The synthetic minutes and their questions, generated in memory (deterministic for a seed).
See ``minutes_rag.evaluation.synth`` for what is invented and why."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from minutes_rag.evaluation.synth.vocab import (
    ABSENT_TOPICS,
    CITIES,
    CN_NUM,
    DEPARTMENTS,
    GIVEN,
    NEWS_OPENERS,
    PERIODS,
    PLAN_SUFFIXES,
    REQUIREMENTS,
    SURNAMES,
    SYNTHETIC_NOTICE,
    TOPICS,
)


@dataclass
class SynthQuestion:
    question: str
    evidence: list[str]
    answer_contains: list[str]
    answerable: bool = True
    notes: str = ""

    def to_dict(self, qid: str) -> dict[str, Any]:
        return {"id": qid, "question": self.question, "evidence": self.evidence,
                "answer_contains": self.answer_contains, "answerable": self.answerable,
                "lang": "zh", "notes": self.notes}


@dataclass
class SynthMinute:
    city: str
    slug: str
    doc_number: str
    meeting_number: int
    date: str  # YYYY-MM-DD
    chair: str
    style: str  # "cn", "cn-arabic", "arabic", "news"
    encoding: str  # "utf-8" or "gbk"
    fmt: str  # "txt" or "docx"
    paragraphs: list[str]
    questions: list[SynthQuestion] = field(default_factory=list)
    ledger: list[dict[str, Any]] = field(default_factory=list)  # ground truth in the ledger-set format

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"

    @property
    def filename(self) -> str:
        y = self.date[:4]
        no = self.doc_number.split("〕")[1].rstrip("号")
        kind = "news" if self.style == "news" else "minutes"
        return f"{self.slug}_{y}-{int(no):03d}_{kind}.{self.fmt}"


class _Names:
    """Unique Chinese personal names across the whole archive (so a name identifies a person)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def new(self) -> str:
        for length in (1, 2, 2, 2):
            for _ in range(50):
                name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(length))
                if name not in self.used:
                    self.used.add(name)
                    return name
        raise RuntimeError("ran out of names")  # pragma: no cover - 100k+ names per length 2


@dataclass
class _Body:
    city: str  # the body's place name: 云江市, or 云江市江北区 for a district government
    level: str  # "市" or "区": prefixes departments, 市政府/区政府, 市长/区长
    slug: str
    districts: list[str]
    mayor: str
    exec_vice: str
    vices: list[str]
    secretary: str
    heads: dict[str, str]
    recorder: str
    meeting: int
    day: date
    doc_year: int = 0
    doc_no: int = 0


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn_index(i: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二 (agenda items rarely go past twenty)."""
    if i <= 10:
        return CN_NUM[i - 1]
    return "十" + CN_NUM[i - 11] if i < 20 else str(i)


class _Generator:
    def __init__(self, seed: int, n_bodies: int) -> None:
        self.rng = random.Random(seed)
        self.names = _Names(self.rng)
        self.used_phrases: set[str] = set()
        self.batch_counter = 0
        # city governments first, then district governments of those cities (large archives)
        places = [(c, "市", slug, d) for c, slug, d in CITIES]
        places += [(c + d[i], "区", f"{slug}-{i + 1}", d) for i in range(5) for c, slug, d in CITIES]
        self.bodies = [self._body(*places[i]) for i in range(n_bodies)]

    def _body(self, city: str, level: str, slug: str, districts: list[str]) -> _Body:
        rng = self.rng
        if level == "区":
            districts = [f"{x}街道" for x in ("城东", "城西", "南湖", "北山", "新桥")]
        return _Body(
            city=city, level=level, slug=slug, districts=districts, mayor=self.names.new(), exec_vice=self.names.new(),
            vices=[self.names.new() for _ in range(rng.randint(4, 6))], secretary=self.names.new(),
            heads={level + d[1:]: self.names.new() for d in DEPARTMENTS}, recorder=self.names.new(),
            meeting=rng.randint(1, 120), day=date(rng.randint(2018, 2022), rng.randint(1, 3), rng.randint(1, 28)),
        )

    def _unique(self, candidates: list[str]) -> str:
        for c in candidates:
            if c not in self.used_phrases:
                self.used_phrases.add(c)
                return c
        self.batch_counter += 1  # every variant taken: a batch number keeps the phrase unique
        c = f"{candidates[0]}（第{self.batch_counter}批）"
        self.used_phrases.add(c)
        return c

    # -- one agenda item: (heading, [sub-paragraphs], summary for the preamble, questions)
    def _item(
        self, body: _Body, day: date, kind: str, topic: tuple[str, str, str]
    ) -> tuple[str, list[str], str, list[SynthQuestion], list[list[dict[str, Any]]]]:
        """(heading, sub-paragraphs, summary, questions, the ledger labels of each sub-paragraph)."""
        rng = self.rng
        name, dept, _area = topic
        year = day.year
        L = body.level
        dept = L + dept[1:]
        co = rng.sample([d for d in body.heads if d != dept], 2)
        reqs = rng.sample(REQUIREMENTS, 2)
        qs: list[SynthQuestion] = []
        if kind == "review":
            suffixes = rng.sample(PLAN_SUFFIXES, len(PLAN_SUFFIXES))
            plan = self._unique([f"{body.city}{name}{s}" for s in suffixes]
                                + [f"{body.city}{d}{name}{s}" for d in body.districts for s in suffixes[:2]])
            heading = f"审议《{plan}》"
            decide = f"原则同意《{plan}》。由{dept}根据本次会议讨论意见作进一步修改完善后按程序印发实施。"
            money = f"{rng.randint(2, 95) / 10:.1f}亿元"
            detail = (f"实施{name}工作，是推动高质量发展、保障和改善民生的重要举措。方案明确，"
                      f"{year}年至{year + 2}年全{L}计划安排资金{money}，由{dept}牵头，{co[0]}、{co[1]}配合。")
            subs = [decide, detail + reqs[0], reqs[1]]
            labels = [
                [{"kind": "decision", "outcome": "原则同意", "subject": plan},
                 {"kind": "assignment", "lead": dept, "task": "根据本次会议讨论意见作进一步修改完善后按程序印发实施"}],
                [{"kind": "assignment", "lead": dept, "partners": list(co)}, *_requirement_labels(reqs[0])],
                _requirement_labels(reqs[1]),
            ]
            summary = heading
            qs.append(SynthQuestion(
                f"{body.city}政府第{body.meeting}次常务会议审议的{name}方面的文件叫什么？",
                [f"原则同意《{plan}》", f"审议《{plan}》"], [plan], notes="item decision"))
            qs.append(SynthQuestion(
                f"《{plan}》由哪个部门负责修改完善？",
                [f"原则同意《{plan}》。由{dept}根据本次会议讨论意见"], [dept], notes="responsible department"))
        elif kind == "report":
            # only a period that has ended: last year's, or one of this year's before today
            y, period = rng.choice([(year - 1, "全年")] + [(year, p) for m0, p in PERIODS if day.month >= m0])
            subject = self._unique([f"{body.city}{y}年{period}{name}工作情况"]
                                   + [f"{d}{y}年{period}{name}工作情况" for d in body.districts])
            heading = f"听取关于{subject}的汇报"
            done = rng.randint(12, 480)
            subs = [f"会议听取了{dept}关于{subject}的汇报。{y}年以来，全{L}累计完成{name}相关项目{done}个，工作取得阶段性成效。",
                    reqs[0] + f"由{dept}会同{co[0]}根据会议意见抓好落实。", reqs[1]]
            labels = [
                [{"kind": "report", "lead": dept, "subject": subject}],
                [*_requirement_labels(reqs[0]),
                 {"kind": "assignment", "lead": dept, "partners": [co[0]], "task": "根据会议意见抓好落实"}],
                _requirement_labels(reqs[1]),
            ]
            summary = heading
            qs.append(SynthQuestion(
                f"{body.city}政府第{body.meeting}次常务会议听取了哪个部门关于{subject}的汇报？",
                [f"会议听取了{dept}关于{subject}的汇报"], [dept], notes="reporting department"))
            qs.append(SynthQuestion(
                f"{subject}汇报中，全{L}累计完成了多少个相关项目？",
                [f"关于{subject}的汇报。{y}年以来，全{L}累计完成{name}相关项目{done}个"], [f"{done}个"], notes="figure"))
        else:  # "study": a topic studied, with a lead department and a deadline
            month = rng.randint(min(day.month + 1, 12), 12)
            subject = self._unique([f"{body.city}{name}推进工作"] + [f"{d}{name}推进工作" for d in body.districts])
            heading = f"研究{subject}"
            lead = f"会议研究了{subject}。明确由{dept}牵头，{co[0]}配合，于{year}年{month}月底前提出具体实施意见报{L}政府。"
            subs = [lead, reqs[0], reqs[1]]
            labels = [
                [{"kind": "assignment", "lead": dept, "partners": [co[0]], "task": f"提出具体实施意见报{L}政府",
                  "deadline": f"{year}年{month}月底前"}],
                _requirement_labels(reqs[0]),
                _requirement_labels(reqs[1]),
            ]
            summary = heading
            qs.append(SynthQuestion(
                f"{subject}由哪个部门牵头，什么时候前提出实施意见？",
                [f"会议研究了{subject}。明确由{dept}牵头，{co[0]}配合，于{year}年{month}月底前"], [dept, f"{month}月底"], notes="lead department and deadline"))
        return heading, subs, summary, qs, labels

    def minute(self, body: _Body) -> SynthMinute:
        rng = self.rng
        L = body.level
        body.day += timedelta(days=rng.randint(7, 24))
        body.meeting += 1
        if body.day.year != body.doc_year:
            body.doc_year, body.doc_no = body.day.year, 0
        body.doc_no += rng.randint(1, 2)  # other minutes of the office take numbers too
        doc = f"〔{body.day.year}〕{body.doc_no}号"
        style = rng.choices(["cn", "cn-arabic", "arabic", "news"], weights=[5, 2, 2, 2])[0]
        encoding = "gbk" if rng.random() < 0.2 else "utf-8"
        fmt = "docx" if rng.random() < 0.15 else "txt"
        if fmt == "docx":
            encoding = "utf-8"
        delegated = rng.random() < 0.15
        chair = body.exec_vice if delegated else body.mayor
        kinds = rng.choices(["review", "report", "study"], k=rng.randint(2, 5))
        topics = rng.sample(TOPICS, len(kinds))
        items = [self._item(body, body.day, k, t) for k, t in zip(kinds, topics)]
        m = SynthMinute(city=body.city, slug=body.slug, doc_number=doc, meeting_number=body.meeting,
                        date=body.day.isoformat(), chair=chair, style=style, encoding=encoding, fmt=fmt, paragraphs=[])
        when = _cn_date(body.day) + rng.choice(["上午", "下午"])
        meeting = f"{L}政府第{body.meeting}次常务会议"
        if delegated:
            opener = f"{when}，受{L}长{body.mayor}委托，常务副{L}长{chair}主持召开{meeting}"
            chair_ev = f"常务副{L}长{chair}主持召开{meeting}"
            date_ev = f"{when}，受{L}长{body.mayor}委托"
        else:
            opener = f"{when}，{chair}{L}长主持召开{meeting}"
            chair_ev = f"{chair}{L}长主持召开{meeting}"
            date_ev = f"{when}，{chair}{L}长主持"
        summary = "，".join(s for _, _, s, _, _ in items)
        order = list(body.heads)
        observers = sorted(rng.sample(order, rng.randint(10, 22)), key=order.index)
        present = [body.mayor, body.exec_vice, *body.vices, body.secretary]
        p = m.paragraphs
        if style == "news":
            p.append(f"{body.city}政府召开第{body.meeting}次常务会议")
            p.append(f"{opener}，{summary}。")
            for _heading, subs, _, _, labels in items:
                first = subs[0]
                p.append("会议" + first if first.startswith("原则同意") else first)
                p.append(rng.choice(NEWS_OPENERS) + subs[1])
                m.ledger += labels[0] + labels[1]
            p.append(f"{L}政府领导{'、'.join(present[1:])}出席会议。")
            p.append("会议还研究了其他事项。")
        else:
            p.append(f"{body.city}人民政府\n常务会议纪要")
            p.append(doc)
            p.append(f"{opener}，{summary}。")
            p.append("会议议定以下意见：")
            for i, (heading, subs, _, _, labels) in enumerate(items, start=1):
                if style == "arabic":  # one paragraph per item, no sub-items
                    p.append(f"{i}. {heading}。" + "".join(subs[:2]))
                    m.ledger += labels[0] + labels[1]
                    continue
                m.ledger += [x for sub in labels for x in sub]
                p.append(f"{_cn_index(i)}、{heading}")
                for j, sub in enumerate(subs, start=1):
                    p.append(f"（{CN_NUM[j - 1]}）{sub}" if style == "cn" else f"{j}. {sub}")
            p.append("出席：" + " ".join(present))
            p.append("列席：" + " ".join(f"{d}{body.heads[d]}" for d in observers))
            p.append(f"记录：{body.recorder}")
            p.append(f"{body.city}人民政府办公室整理\n{_cn_date(body.day + timedelta(days=rng.randint(5, 10)))}")
        p.append(SYNTHETIC_NOTICE)
        # questions: the items' questions, then metadata questions
        for _, _, _, qs, _ in items:
            m.questions.extend(qs)
        m.questions.append(SynthQuestion(f"{body.city}政府第{body.meeting}次常务会议由谁主持？", [chair_ev], [chair],
                                         notes="chair"))
        m.questions.append(SynthQuestion(f"{body.city}政府第{body.meeting}次常务会议是哪天召开的？", [date_ev],
                                         [_cn_date(body.day)], notes="date"))
        if style != "news":
            # department heads and the recorder stay the same across a body's minutes: these
            # questions are about the body, and every attendance block of it answers them
            d = rng.choice(observers)
            m.questions.append(SynthQuestion(f"{body.city}政府常务会议上，代表{d}列席的是谁？", [f"{d}{body.heads[d]}"],
                                             [body.heads[d]], notes="attendance"))
            m.questions.append(SynthQuestion(f"{body.city}政府常务会议纪要的记录人是谁？", [f"记录：{body.recorder}"],
                                             [body.recorder], notes="recorder"))
        # keep only questions whose every evidence string lies inside one paragraph here
        # (news-style readouts and 1.-style items leave some sub-paragraphs out)
        m.questions = [q for q in m.questions if all(any(e in x for x in p) for e in q.evidence)]
        return m


def _requirement_labels(req: str) -> list[dict[str, Any]]:
    """A requirement addressed to units (各地各部门要…) is a generic assignment; one that
    addresses no unit (要坚持…) is no ledger entry."""
    if req.startswith("各地各部门要"):
        return [{"kind": "assignment", "lead": "各地各部门", "task": req[len("各地各部门要") :].rstrip("。"), "generic": True}]
    return []


def generate(minutes: int, seed: int = 0) -> list[SynthMinute]:
    """``minutes`` synthetic minutes, in order of generation, deterministic for ``seed``."""
    if minutes < 0:
        raise ValueError("minutes must be >= 0")
    # a few minutes per body for small archives; large ones (benchmarks) add district
    # governments so that no body runs for decades (about 150 minutes, 6 years, each)
    n_bodies = max(1, min(len(CITIES), (minutes + 2) // 3), min(len(CITIES) * 6, -(-minutes // 150)))
    gen = _Generator(seed, n_bodies)
    out: list[SynthMinute] = []
    for i in range(minutes):
        body = gen.bodies[i % n_bodies] if i < n_bodies else gen.rng.choice(gen.bodies)
        out.append(gen.minute(body))
    return out


def unanswerable_questions(archive: list[SynthMinute], seed: int, count: int) -> list[SynthQuestion]:
    """Up to ``count`` distinct questions about topics no minute mentions."""
    rng = random.Random(seed + 7919)
    cities = sorted({m.city for m in archive}) or [CITIES[0][0]]
    forms = ["{city}政府常务会议对{topic}作出了哪些部署？", "{city}政府哪次常务会议研究了{topic}？",
             "会议决定由哪个部门牵头推进{topic}？"]
    texts = sorted({f.format(city=c, topic=t) for f in forms for c in cities for t in ABSENT_TOPICS})
    rng.shuffle(texts)
    # spread over topics first, so a small count does not ask about one topic only
    texts.sort(key=lambda q: [i for i, t in enumerate(ABSENT_TOPICS) if t in q][0])
    by_topic: dict[int, list[str]] = {}
    for q in texts:
        by_topic.setdefault([i for i, t in enumerate(ABSENT_TOPICS) if t in q][0], []).append(q)
    ordered = [q for round_ in zip(*by_topic.values()) for q in round_]
    return [SynthQuestion(q, [], [], answerable=False, notes="topic absent from the archive") for q in ordered[:count]]
