"""A synthetic archive of Chinese executive-meeting minutes (常务会议纪要), with questions.

Everything here is invented: bodies, people, plans and decisions. Every minute says so in
its last line, and the archive's ``manifest.json`` says so too. The archive serves as
distractors for the evaluation and as data for the scale benchmarks.

The output is deterministic for a seed: the same ``(minutes, seed)`` gives the same files
byte for byte (docx files are zip archives with fixed timestamps, see ``_write_docx``).

Realism that matters for the pipeline: several bodies and cities; per body, document
numbers (〔2021〕7号, reset each year) and meeting numbers (第15次) that run in order with
dates; chairs; attendance blocks (出席 / 列席 with departments / 记录); agenda items from
many policy areas with decisions and responsible departments; numbering styles 一、/（一）,
一、/1., 1. alone, and news-style readouts without numbering; some files GBK-encoded, some
.docx.

Evidence strings of the questions are copied from the generated text, lie inside one
paragraph, and are unique in the archive by construction (the phrases they rest on
contain plan titles, subjects or meeting numbers that are never reused), except for the
attendance and recorder questions, which are about a body and answered by each of its
attendance blocks.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

SYNTHETIC_NOTICE = "（本纪要为合成测试数据，内容虚构，不代表任何真实机关的意见或决定）"
CN_NUM = "一二三四五六七八九十"

# (city, ascii slug for file names, districts)
CITIES = [
    ("云江市", "yunjiang", ["江北区", "江南区", "高新区", "云湖区", "临港新区"]),
    ("东湖市", "donghu", ["湖东区", "湖西区", "经开区", "北塘区", "梅岭县"]),
    ("南屿市", "nanyu", ["屿中区", "海湾区", "南港区", "综合保税区", "石桥县"]),
    ("白沙市", "baisha", ["沙城区", "白鹭区", "高铁新城", "青石县", "丰乐县"]),
    ("枫林市", "fenglin", ["枫城区", "林溪区", "科教城", "凤鸣区", "双河县"]),
    ("青禾市", "qinghe", ["禾丰区", "青阳区", "空港区", "稻香县", "新安区"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国志红文斌宇浩凯健俊帆帅旭宁琳雪晨阳欣怡佳峰岚晓婷博波海林正清春东亮翔云飞鸿毅诚彬卫庆荣昌振宏永德新兴安胜光瑞"

# department -> a short description used in attendance lists; the order is the usual one
DEPARTMENTS = [
    "市发展改革委", "市教育局", "市科技局", "市工信局", "市公安局", "市民政局", "市司法局", "市财政局",
    "市人社局", "市自然资源和规划局", "市生态环境局", "市住建局", "市城管局", "市交通运输局", "市水务局",
    "市农业农村局", "市商务局", "市文广旅局", "市卫生健康委", "市退役军人局", "市应急局", "市审计局",
    "市国资委", "市市场监管局", "市体育局", "市统计局", "市医保局", "市信访局", "市数据局",
    "市地方金融监管局", "市园林绿化局", "市政府研究室", "市行政审批局",
]

# (topic, lead department, policy area); no topic mentions fees or compulsory education:
# the question sets ask about those as unanswerable
TOPICS = [
    ("老旧小区改造", "市住建局", "住房"),
    ("保障性租赁住房筹集", "市住建局", "住房"),
    ("城市更新", "市自然资源和规划局", "规划"),
    ("耕地保护和节约集约用地", "市自然资源和规划局", "规划"),
    ("制造业智能化改造和数字化转型", "市工信局", "产业"),
    ("专精特新中小企业培育", "市工信局", "产业"),
    ("优化营商环境", "市发展改革委", "改革"),
    ("重大项目建设", "市发展改革委", "投资"),
    ("生活垃圾分类", "市城管局", "城管"),
    ("农村人居环境整治", "市农业农村局", "农业"),
    ("高标准农田建设", "市农业农村局", "农业"),
    ("养老服务体系建设", "市民政局", "民生"),
    ("婴幼儿照护服务", "市卫生健康委", "卫生"),
    ("公立医院高质量发展", "市卫生健康委", "卫生"),
    ("职业教育产教融合", "市教育局", "教育"),
    ("科技创新券", "市科技局", "科技"),
    ("高新技术企业培育", "市科技局", "科技"),
    ("稳就业促创业", "市人社局", "就业"),
    ("河湖长制", "市水务局", "水利"),
    ("城市防汛排涝", "市水务局", "水利"),
    ("安全生产专项整治", "市应急局", "安全"),
    ("大气污染防治", "市生态环境局", "环保"),
    ("数字政府建设", "市数据局", "数字"),
    ("公共交通优先发展", "市交通运输局", "交通"),
    ("文旅消费提振", "市文广旅局", "文旅"),
    ("全民健身设施建设", "市体育局", "体育"),
    ("食品安全", "市市场监管局", "市场"),
    ("医保基金监管", "市医保局", "医保"),
    ("国有企业改革", "市国资委", "国资"),
    ("地方金融风险防范", "市地方金融监管局", "金融"),
    ("退役军人服务保障", "市退役军人局", "民生"),
    ("政府投资项目审计", "市审计局", "审计"),
    ("外贸稳增长", "市商务局", "商务"),
    ("信访积案化解", "市信访局", "信访"),
    ("园林绿化提升", "市园林绿化局", "城建"),
    ("统计数据质量提升", "市统计局", "统计"),
]
PLAN_SUFFIXES = ["实施方案", "工作方案", "三年行动计划", "若干措施", "管理办法", "专项行动方案"]
# reporting periods that have ended by a month of the year: (first month it can be reported in, label)
PERIODS = [(4, "一季度"), (6, "1至5月"), (7, "上半年"), (10, "前三季度")]

REQUIREMENTS = [
    "各地各部门要提高政治站位，强化责任担当，确保各项任务落到实处。",
    "要坚持问题导向，聚焦短板弱项，细化工作举措，明确时间节点。",
    "要加强统筹协调，形成工作合力，及时研究解决推进中遇到的困难和问题。",
    "要强化督查考核，定期通报进展情况，对工作不力的严肃问责。",
    "要注重宣传引导，及时回应群众关切，营造良好社会氛围。",
    "要用好用足上级政策，积极争取试点示范，放大政策叠加效应。",
    "要守牢安全底线，健全风险防控机制，防止出现系统性风险。",
    "要加大资金保障力度，优化支出结构，提高财政资金使用绩效。",
    "要坚持以人民为中心的发展思想，切实增强群众获得感、幸福感、安全感。",
    "要建立健全长效机制，推动工作常态化、规范化、制度化。",
]
NEWS_OPENERS = ["会议指出，", "会议认为，", "会议强调，", "会议要求，"]

# topics that no synthetic minute mentions: the unanswerable questions ask about them
ABSENT_TOPICS = ["低空经济", "冰雪运动", "海洋牧场", "航天发射场", "跨境数据交易", "核电站选址", "邮轮母港", "赛马产业"]


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
    def _item(self, body: _Body, day: date, kind: str, topic: tuple[str, str, str]) -> tuple[str, list[str], str, list[SynthQuestion]]:
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
            summary = heading
            qs.append(SynthQuestion(
                f"{subject}由哪个部门牵头，什么时候前提出实施意见？",
                [f"会议研究了{subject}。明确由{dept}牵头，{co[0]}配合，于{year}年{month}月底前"], [dept, f"{month}月底"], notes="lead department and deadline"))
        return heading, subs, summary, qs

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
        year = body.day.year
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
        summary = "，".join(s for _, _, s, _ in items)
        order = list(body.heads)
        observers = sorted(rng.sample(order, rng.randint(10, 22)), key=order.index)
        present = [body.mayor, body.exec_vice, *body.vices, body.secretary]
        p = m.paragraphs
        if style == "news":
            p.append(f"{body.city}政府召开第{body.meeting}次常务会议")
            p.append(f"{opener}，{summary}。")
            for _heading, subs, _, _ in items:
                first = subs[0]
                p.append("会议" + first if first.startswith("原则同意") else first)
                p.append(rng.choice(NEWS_OPENERS) + subs[1])
            p.append(f"{L}政府领导{'、'.join(present[1:])}出席会议。")
            p.append("会议还研究了其他事项。")
        else:
            p.append(f"{body.city}人民政府\n常务会议纪要")
            p.append(doc)
            p.append(f"{opener}，{summary}。")
            p.append("会议议定以下意见：")
            for i, (heading, subs, _, _) in enumerate(items, start=1):
                if style == "arabic":  # one paragraph per item, no sub-items
                    p.append(f"{i}. {heading}。" + "".join(subs[:2]))
                    continue
                p.append(f"{_cn_index(i)}、{heading}")
                for j, sub in enumerate(subs, start=1):
                    p.append(f"（{CN_NUM[j - 1]}）{sub}" if style == "cn" else f"{j}. {sub}")
            p.append("出席：" + " ".join(present))
            p.append("列席：" + " ".join(f"{d}{body.heads[d]}" for d in observers))
            p.append(f"记录：{body.recorder}")
            p.append(f"{body.city}人民政府办公室整理\n{_cn_date(body.day + timedelta(days=rng.randint(5, 10)))}")
        p.append(SYNTHETIC_NOTICE)
        # questions: the items' questions, then metadata questions
        for _, _, _, qs in items:
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


def _write_docx(path: Path, paragraphs: list[str]) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "合成测试数据"
    d.core_properties.comments = SYNTHETIC_NOTICE
    fixed = __import__("datetime").datetime(2020, 1, 1)
    d.core_properties.created = fixed
    d.core_properties.modified = fixed
    d.core_properties.last_modified_by = "minutes-rag synth"
    d.core_properties.author = "minutes-rag synth"
    for para in paragraphs:
        for line in para.split("\n"):
            d.add_paragraph(line)
    import io
    import zipfile

    buf = io.BytesIO()
    d.save(buf)
    # rewrite the zip with fixed timestamps so that a seed gives identical bytes
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))


@dataclass
class SynthReport:
    out_dir: str
    minutes: int
    files: list[str]
    questions_path: str
    questions: int
    unanswerable: int
    by_format: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"synthetic": True, "out_dir": self.out_dir, "minutes": self.minutes, "questions_path": self.questions_path,
                "questions": self.questions, "unanswerable": self.unanswerable, "by_format": self.by_format}


def write_archive(out_dir: str | Path, minutes: int, seed: int = 0, *, questions_path: str | Path | None = None,
                  questions_per_minute: int = 3, unanswerable: int | None = None, id_prefix: str = "") -> SynthReport:
    """Write ``minutes`` files into ``out_dir``, ``manifest.json`` beside them, and the
    question set (default ``out_dir/questions.jsonl``). Existing files of the same names are
    overwritten; nothing else in ``out_dir`` is touched."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    archive = generate(minutes, seed)
    rng = random.Random(seed + 104729)
    files: list[str] = []
    by_format: dict[str, int] = {}
    questions: list[dict[str, Any]] = []
    prefix = id_prefix or f"synth-{seed}-"
    asked: set[str] = set()
    for m in archive:
        path = out / m.filename
        if m.fmt == "docx":
            _write_docx(path, m.paragraphs)
        else:
            path.write_bytes(m.text.encode(m.encoding))
        key = m.fmt if m.fmt == "docx" else f"txt-{m.encoding}"
        by_format[key] = by_format.get(key, 0) + 1
        if m.style == "news":
            by_format["news-style"] = by_format.get("news-style", 0) + 1
        files.append(path.name)
        fresh = [q for q in m.questions if q.question not in asked]  # body questions repeat across minutes
        chosen = rng.sample(fresh, min(questions_per_minute, len(fresh)))
        asked.update(q.question for q in chosen)
        for q in chosen:
            q.notes = f"synthetic: {m.filename}; {q.notes}"
            questions.append(q.to_dict(f"{prefix}{len(questions) + 1:05d}"))
    n_un = max(1, minutes // 5) if unanswerable is None else unanswerable
    for q in unanswerable_questions(archive, seed, n_un):
        q.notes = "synthetic; " + q.notes
        questions.append(q.to_dict(f"{prefix}{len(questions) + 1:05d}"))
    qpath = Path(questions_path) if questions_path else out / "questions.jsonl"
    qpath.parent.mkdir(parents=True, exist_ok=True)
    qpath.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    manifest = {
        "synthetic": True,
        "notice": "Synthetic minutes generated by `minutes-rag synth`: every body, person, plan and decision is invented.",
        "generator": "minutes_rag.synth", "seed": seed, "minutes": minutes,
        "files": [{"file": f, "city": m.city, "doc_number": m.doc_number, "meeting_number": m.meeting_number,
                   "date": m.date, "chair": m.chair, "style": m.style, "encoding": m.encoding, "format": m.fmt}
                  for f, m in zip(files, archive)],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return SynthReport(str(out), minutes, files, str(qpath), len(questions), n_un, by_format)
