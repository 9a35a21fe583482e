"""Timeline recall and precision over a synthetic archive, and the relevance-floor sweep.

    minutes-rag synth --minutes 300 --seed 7 --out /tmp/synth300
    minutes-rag ingest /tmp/synth300 --data-dir /tmp/data300
    .venv/bin/python bench/bench_timeline.py --synth /tmp/synth300 --data-dir /tmp/data300

Ground truth comes from the generator (same minutes and seed as the manifest says): a
minute discussed a topic when its text names the topic (each of the 36 policy topics of
``synth.TOPICS`` comes up in about thirty minutes of 300, as a plan reviewed, a report
heard or a matter studied). For each topic as the query, with the floor the library uses
and a sweep of others:

- recall: share of the minutes that discussed the topic that have an entry;
- precision: share of entries whose section names the topic (an entry in the right minute
  but quoting a section about something else counts as wrong);
- order: entries strictly in date order; verbatim: ``minute.text[start:end] == quote``.

Retrieval runs once per topic; the floors are applied to the same candidates.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

# Shorter or looser ways people name the topics (each names one topic of the generator only),
# and English names through the glossary: the ground truth is still the minutes naming the
# full topic.
SHORT = {
    "老旧小区": "老旧小区改造", "租赁住房": "保障性租赁住房筹集", "耕地保护": "耕地保护和节约集约用地",
    "智能化改造": "制造业智能化改造和数字化转型", "专精特新": "专精特新中小企业培育", "营商环境": "优化营商环境",
    "重大项目": "重大项目建设", "垃圾分类": "生活垃圾分类", "人居环境整治": "农村人居环境整治",
    "高标准农田": "高标准农田建设", "养老服务": "养老服务体系建设", "婴幼儿照护": "婴幼儿照护服务",
    "公立医院": "公立医院高质量发展", "产教融合": "职业教育产教融合", "创新券": "科技创新券",
    "高新技术企业": "高新技术企业培育", "就业创业": "稳就业促创业", "河湖长": "河湖长制", "防汛排涝": "城市防汛排涝",
    "安全生产": "安全生产专项整治", "大气污染": "大气污染防治", "数字政府": "数字政府建设",
    "公共交通": "公共交通优先发展", "文旅消费": "文旅消费提振", "全民健身": "全民健身设施建设",
    "医保基金": "医保基金监管", "金融风险": "地方金融风险防范", "退役军人": "退役军人服务保障",
    "投资项目审计": "政府投资项目审计", "外贸": "外贸稳增长", "信访积案": "信访积案化解", "园林绿化": "园林绿化提升",
    "统计数据质量": "统计数据质量提升",
}
ENGLISH = {
    "old residential area renovation": "老旧小区改造", "urban renewal": "城市更新", "waste sorting": "生活垃圾分类",
    "business environment": "优化营商环境", "elderly care": "养老服务体系建设", "food safety": "食品安全",
    "air pollution": "大气污染防治", "public transport": "公共交通优先发展", "work safety": "安全生产专项整治",
    "flood control": "城市防汛排涝", "rental housing": "保障性租赁住房筹集",
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synth", required=True, help="folder written by `minutes-rag synth` (has manifest.json)")
    ap.add_argument("--data-dir", required=True, help="index the folder was ingested into")
    ap.add_argument("--floors", default="0.34,0.5,0.6,0.67,0.75,0.85,1.0")
    ap.add_argument("--json", help="also write the per-topic results here")
    args = ap.parse_args()

    from minutes_rag.assistant import build_assistant
    from minutes_rag.config import Settings
    from minutes_rag.evaluation.synth import generate
    from minutes_rag.evaluation.synth.vocab import TOPICS
    from minutes_rag.ledger.model import LedgerFilter
    from minutes_rag.timeline import DEFAULT_CANDIDATES, DEFAULT_FLOOR, with_candidates

    manifest = json.loads((Path(args.synth) / "manifest.json").read_text(encoding="utf-8"))
    archive = generate(int(manifest["minutes"]), int(manifest["seed"]))
    by_file = {m.filename: m for m in archive}

    assistant = build_assistant(Settings.load(data_dir=args.data_dir, mode="extractive"))
    index = assistant.index
    file_of = {r["minute_id"]: Path(r["source"]).name for r in index.list_minutes()}
    missing = [f for f in by_file if f not in set(file_of.values())]
    if missing:
        print(f"{len(missing)} synthetic files are not in the index (first: {missing[0]}): ingest the folder first",
              file=sys.stderr)
        return 2
    texts: dict[str, str] = {}

    def text_of(mid: str) -> str:
        if mid not in texts:
            texts[mid] = index.minute(mid).text
        return texts[mid]

    wide = with_candidates(assistant.retriever, DEFAULT_CANDIDATES)
    ledger_cache: dict[str, list] = {}

    def ledger(mid: str) -> list:
        if mid not in ledger_cache:
            ledger_cache[mid] = assistant.actions(LedgerFilter(minute=mid))
        return ledger_cache[mid]

    floors = sorted({float(x) for x in args.floors.split(",")} | {DEFAULT_FLOOR})
    sets = {"exact": {n: n for n, _, _ in TOPICS}, "short": SHORT, "english": ENGLISH}
    for qset, queries in sets.items():
        run_set(qset, queries, by_file, file_of, index, wide, ledger, text_of, floors, args.json)
    return 0


def run_set(qset, queries, by_file, file_of, index, wide, ledger, text_of, floors, json_path) -> None:
    from minutes_rag.model import Filters
    from minutes_rag.timeline import DEFAULT_CANDIDATES, DEFAULT_FLOOR, build_timeline

    totals = {f: {"truth": 0, "found": 0, "entries": 0, "about": 0, "order_ok": 0, "verbatim": 0, "ledger": 0}
              for f in floors}
    rows = []
    t_total = 0.0
    for query, name in queries.items():
        truth = {f for f, m in by_file.items() if name in m.text}
        t0 = time.perf_counter()
        hits = wide.retrieve(query, Filters(), DEFAULT_CANDIDATES)
        t_retrieve = time.perf_counter() - t0
        t_total += t_retrieve
        for floor in floors:
            tl = build_timeline(query, lambda q, f, k, hits=hits: hits, ledger=ledger, minute_text=text_of, floor=floor)
            found = {file_of[e.minute_id] for e in tl.entries}
            sections = index.sections_by_id([e.section_id for e in tl.entries])
            about = sum(1 for e in tl.entries
                        if e.section_id in sections and name in f"{sections[e.section_id].title}{sections[e.section_id].text}"
                        and file_of[e.minute_id] in truth)
            dates = [e.date for e in tl.entries]
            tot = totals[floor]
            tot["truth"] += len(truth)
            tot["found"] += len(found & truth)
            tot["entries"] += len(tl.entries)
            tot["about"] += about
            tot["order_ok"] += int(dates == sorted(dates))
            tot["verbatim"] += sum(1 for e in tl.entries if text_of(e.minute_id)[e.start:e.end] == e.quote)
            tot["ledger"] += sum(1 for e in tl.entries if e.kind != "mention")
            if floor == DEFAULT_FLOOR:
                rows.append({"topic": query, "truth": len(truth), "found": len(found & truth), "entries": len(tl.entries),
                             "about": about, "ordered": dates == sorted(dates), "retrieve_ms": round(t_retrieve * 1000),
                             "missed": sorted(truth - found)[:5]})

    print(f"\n== {qset} topic names: {len(queries)} queries over {len(by_file)} synthetic minutes, "
          f"floor {DEFAULT_FLOOR}, {DEFAULT_CANDIDATES} candidates per retriever\n")
    print(f"{'topic':<24} {'minutes':>7} {'found':>6} {'entries':>7} {'about':>6} {'recall':>7} {'prec':>6} {'ms':>6}")
    for r in rows:
        rec = r["found"] / r["truth"] if r["truth"] else 1.0
        prec = r["about"] / r["entries"] if r["entries"] else 1.0
        print(f"{r['topic']:<24} {r['truth']:>7} {r['found']:>6} {r['entries']:>7} {r['about']:>6} {rec:>7.3f} {prec:>6.3f} "
              f"{r['retrieve_ms']:>6}")
    print(f"\nfloor sweep (micro-averaged over the topics; retrieval {t_total / len(queries) * 1000:.0f} ms per topic)")
    print(f"{'floor':>6} {'recall':>7} {'precision':>9} {'entries':>7} {'ordered':>8} {'verbatim':>8} {'ledger quotes':>13}")
    for floor in floors:
        tot = totals[floor]
        rec = tot["found"] / tot["truth"] if tot["truth"] else 1.0
        prec = tot["about"] / tot["entries"] if tot["entries"] else 1.0
        verb = tot["verbatim"] / tot["entries"] if tot["entries"] else 1.0
        led = tot["ledger"] / tot["entries"] if tot["entries"] else 0.0
        mark = " <- default" if floor == DEFAULT_FLOOR else ""
        print(f"{floor:>6.2f} {rec:>7.3f} {prec:>9.3f} {tot['entries']:>7} {tot['order_ok']:>4}/{len(queries):<3} {verb:>8.3f} "
              f"{led:>13.3f}{mark}")
    if json_path:
        out = Path(json_path)
        old = json.loads(out.read_text(encoding="utf-8")) if out.exists() and qset != "exact" else {}
        old[qset] = {"rows": rows, "totals": {str(k): v for k, v in totals.items()}}
        out.write_text(json.dumps(old, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
