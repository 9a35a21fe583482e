"""Kill an ingest with SIGKILL at a random moment and check that nothing was lost or left
behind. Used by tests/integration/test_kill_ingest.py (a few runs) and bench/bench_kill.py
(hundreds, for the record). Not collected by pytest (no test_ prefix).

A run: prepare a data dir in the scenario's start state, start ``minutes-rag ingest`` as a
real subprocess, ``kill -9`` it after a random delay, check the state database holds every
minute whole (the old or the new version, never a mix), run the same ingest again to the
end, and compare the index with the one a clean sequential run produced: the same section
ids in SQLite and exactly those ids in Chroma.

Scenarios: ``fresh`` (empty data dir), ``changed`` (a third of the files edited, some added),
``prune`` (a third of the files deleted, ``--prune``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
EMBEDDER = "hash-64"

_TOPICS = [
    ("垃圾分类实施方案", "市城管局", "提高居民垃圾分类参与率"),
    ("老旧小区改造计划", "市住建局", "加快推进老旧小区加装电梯"),
    ("消防安全专项整治", "市消防救援支队", "深入开展高层建筑消防隐患排查"),
    ("优化营商环境措施", "市发改委", "进一步压缩企业开办时间"),
    ("农村人居环境整治", "市农业农村局", "推进农村生活污水治理"),
    ("教育设施布局规划", "市教育局", "新建改扩建中小学校"),
    ("公共卫生应急体系", "市卫健委", "完善重大疫情防控机制"),
    ("轨道交通建设规划", "市交通运输局", "加快轨道交通线网建设"),
]
_NUM = "一二三四五六七八九十"


def minute_text(i: int, version: int = 0) -> str:
    rng = random.Random(i * 7919 + 17)
    items = rng.sample(_TOPICS, 4)
    lines = [
        "苏州市人民政府 常务会议纪要", "", f"〔2021〕{i + 1}号", "",
        f"2021年{1 + i % 12}月{1 + i % 27}日上午，市长主持召开市政府第{100 + i}次常务会议。", "",
        "会议议定以下意见：", "",
    ]
    for n, (title, org, act) in enumerate(items):
        lines += [f"{_NUM[n]}、审议《苏州市{title}》", ""]
        for sub in range(3):
            extra = f"（第{version}版修订）" if version and (n + sub) % 2 == 0 else ""
            lines += [f"（{_NUM[sub]}）原则同意《苏州市{title}》第{sub + 1}部分。由{org}根据会议讨论意见修改完善后印发实施，"
                      f"要{act}，第{i}号纪要第{n}项第{sub}条。{extra}", ""]
    lines += ["出席：张三 李四 王五", "", "记录：赵六", ""]
    return "\n".join(lines)


def archive_files(scenario: str, n: int) -> tuple[dict[str, str], dict[str, str]]:
    """(files before, files after) for a scenario, as {name: text}."""
    before = {f"m{i:03d}.txt": minute_text(i) for i in range(n)}
    if scenario == "fresh":
        return {}, before
    if scenario == "changed":
        after = dict(before)
        for i in range(0, n, 3):
            after[f"m{i:03d}.txt"] = minute_text(i, version=1)
        for i in range(n, n + max(1, n // 6)):
            after[f"m{i:03d}.txt"] = minute_text(i)
        return before, after
    if scenario == "prune":
        return before, {k: v for j, (k, v) in enumerate(sorted(before.items())) if j % 3 != 0}
    raise ValueError(scenario)


def write_files(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.txt"):
        if old.name not in files:
            old.unlink()
    for name, text in files.items():
        p = folder / name
        if not p.exists() or p.read_text(encoding="utf-8") != text:
            p.write_text(text, encoding="utf-8")


def env() -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(SRC), "MINUTES_RAG_EMBEDDER": EMBEDDER,
        "ANONYMIZED_TELEMETRY": "False", "HF_HUB_OFFLINE": "1",
    }


def ingest_cmd(archive: Path, data: Path, prune: bool) -> list[str]:
    cmd = [sys.executable, "-m", "minutes_rag.cli", "ingest", str(archive), "--data-dir", str(data), "--json"]
    return cmd + (["--prune"] if prune else [])


def run_ingest(archive: Path, data: Path, prune: bool, timeout: float = 300) -> float:
    t0 = time.monotonic()
    out = subprocess.run(ingest_cmd(archive, data, prune), env=env(), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise RuntimeError(f"ingest failed ({out.returncode}): {out.stderr[-2000:]}")
    return time.monotonic() - t0


@dataclass
class Snapshot:
    sections: dict[str, set[str]]  # minute id -> its section ids in SQLite
    vectors: set[str]  # ids in Chroma
    journal: list[str] = field(default_factory=list)

    @property
    def section_ids(self) -> set[str]:
        return set().union(*self.sections.values()) if self.sections else set()


def snapshot(data: Path) -> Snapshot:
    """Read the index in this process (the writer is dead or done), then let go of Chroma."""
    from minutes_rag.embed import HashEmbedder
    from minutes_rag.index import StateIndex
    from minutes_rag.store import ChromaStore, _forget_system, collection_name

    index = StateIndex(data, readonly=True)
    try:
        sections: dict[str, set[str]] = {}
        for sid, mid in index._q("SELECT section_id, minute_id FROM sections"):
            sections.setdefault(mid, set()).add(sid)
        journal = index.journal_pending()
    finally:
        index.close()
    store = ChromaStore(data, collection_name("minutes", HashEmbedder(64).name))
    try:
        vectors = set(store.all_ids())
    except Exception:  # noqa: BLE001 - killed before Chroma was created
        vectors = set()
    finally:
        store.reopen()
        _forget_system(str(data / "chroma"))
    return Snapshot(sections, vectors, journal)


@dataclass
class Reference:
    before: Snapshot
    after: Snapshot
    seconds: float  # a clean run's wall time, kills are spread over it


def reference(work: Path, scenario: str, n: int) -> tuple[Reference, Path]:
    """Clean sequential runs; returns the reference and a template data dir in the start state."""
    before, after = archive_files(scenario, n)
    archive = work / "archive"
    template = work / "template"
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    if before:
        write_files(archive, before)
        run_ingest(archive, template, prune=False)
    snap_before = snapshot(template) if before else Snapshot({}, set())
    check_dir = work / "ref"
    shutil.rmtree(check_dir, ignore_errors=True)
    shutil.copytree(template, check_dir)
    write_files(archive, after)
    seconds = run_ingest(archive, check_dir, prune=scenario == "prune")
    snap_after = snapshot(check_dir)
    assert snap_after.vectors == snap_after.section_ids, "the clean reference run is itself inconsistent"
    shutil.rmtree(check_dir, ignore_errors=True)
    return Reference(snap_before, snap_after, seconds), template


@dataclass
class KillResult:
    scenario: str
    delay: float
    killed: bool  # False: the ingest finished before the kill
    half_minutes: list[str]  # minutes whose SQLite sections are neither version
    diverged: str  # "" when the recovered index equals the reference


def kill_once(work: Path, scenario: str, ref: Reference, template: Path, rng: random.Random) -> KillResult:
    archive = work / "archive"  # already holds the "after" files (reference() left them)
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(template, data)
    prune = scenario == "prune"
    # spread the kill over the run, imports included (most of the writes are late)
    delay = rng.uniform(0.2, ref.seconds * 0.9)
    proc = subprocess.Popen(ingest_cmd(archive, data, prune), env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = True
    half, diverged = judge(archive, data, prune, ref)
    return KillResult(scenario, delay, killed, half, diverged)


def half_minutes(mid: Snapshot, ref: Reference) -> list[str]:
    """Minutes whose SQLite sections are neither their old nor their new version."""
    half = []
    for minute_id, ids in mid.sections.items():
        versions = [ref.before.sections.get(minute_id), ref.after.sections.get(minute_id)]
        if ids not in [v for v in versions if v is not None]:
            half.append(minute_id)
    return half


def judge(archive: Path, data: Path, prune: bool, ref: Reference) -> tuple[list[str], str]:
    """After a kill: (half minutes, what differs from the reference after the next ingest)."""
    half = half_minutes(snapshot(data), ref)
    run_ingest(archive, data, prune)
    final = snapshot(data)
    problems = []
    if final.sections != ref.after.sections:
        problems.append("SQLite differs from the sequential run")
    if final.vectors != ref.after.section_ids:
        lost = len(ref.after.section_ids - final.vectors)
        stray = len(final.vectors - ref.after.section_ids)
        problems.append(f"Chroma: {lost} vectors lost, {stray} strays")
    if final.journal:
        problems.append(f"{len(final.journal)} journal entries left")
    return half, "; ".join(problems)


# A writer that kills itself (SIGKILL) at one named moment of the batched write (write_batch.py),
# on the n-th time it gets there: the moments a random delay rarely hits exactly.
_KILL_AT = """
import os, signal, sys
point, nth = sys.argv[1], int(sys.argv[2])
seen = [0]
def hit():
    seen[0] += 1
    if seen[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
from minutes_rag import write_batch
from minutes_rag.index import StateIndex
from minutes_rag.store import ChromaStore
if point == "collected":  # minutes collected, nothing of the batch written yet
    real_flush = write_batch.WriteBatch.flush
    def flush(self, report):
        if self.pending:
            hit()
        return real_flush(self, report)
    write_batch.WriteBatch.flush = flush
elif point == "upserted":  # the batch's vectors in Chroma, no minute of it committed
    real_upsert = ChromaStore.upsert
    def upsert(self, *a, **kw):
        real_upsert(self, *a, **kw)
        hit()
    ChromaStore.upsert = upsert
elif point == "committing":  # some minutes of the batch committed, the others not yet
    real_write = StateIndex.write_minute
    def write_minute(self, *a, **kw):
        hit()
        return real_write(self, *a, **kw)
    StateIndex.write_minute = write_minute
from minutes_rag.cli import main
sys.exit(main(sys.argv[3:]))
"""


def kill_at(work: Path, scenario: str, ref: Reference, template: Path, point: str, nth: int,
            batch_sections: int) -> tuple[Snapshot, list[str], str]:
    """Run the ingest until it kills itself at ``point`` (the ``nth`` time), then judge it
    like ``kill_once``. Returns (the index as the kill left it, half minutes, divergence)."""
    archive = work / "archive"
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(template, data)
    prune = scenario == "prune"
    cmd = [sys.executable, "-c", _KILL_AT, point, str(nth), *ingest_cmd(archive, data, prune)[3:]]
    out = subprocess.run(cmd, env={**env(), "MINUTES_RAG_INGEST_BATCH_SECTIONS": str(batch_sections)},
                         capture_output=True, text=True, timeout=300)
    if out.returncode != -signal.SIGKILL:
        raise RuntimeError(f"the ingest was not killed at {point} ({out.returncode}): {out.stderr[-2000:]}")
    left = snapshot(data)
    half, diverged = judge(archive, data, prune, ref)
    return left, half, diverged


@dataclass
class AskDuringIngest:
    asks: int
    errors: list[str]
    busy_answers: int  # answered from the lexical index while the writer held the lock
    sees_new: bool  # after the ingest, the reader answers from a minute only the ingest added
    diverged: str


def ask_during_ingest(work: Path, scenario: str, ref: Reference, template: Path) -> AskDuringIngest:
    """A reader (the chat's Assistant, in this process) asks without pause while a CLI ingest
    runs in another process; then the reader must see the new minutes, and the index must
    equal the sequential run's."""
    import threading

    from minutes_rag.assistant import BUSY_NOTE, Assistant
    from minutes_rag.config import Settings
    from minutes_rag.embed import HashEmbedder

    archive = work / "archive"
    data = work / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(template, data)
    reader = Assistant(Settings.load(env={}, data_dir=str(data)), embedder=HashEmbedder(64))
    questions = ["垃圾分类实施方案由哪个部门修改完善？", "消防安全专项整治", "第105次常务会议审议了什么？", "老旧小区改造"]
    errors: list[str] = []
    asks = busy = 0
    stop = threading.Event()

    def ask_loop() -> None:
        nonlocal asks, busy
        i = 0
        while not stop.is_set():
            try:
                answer = reader.ask(questions[i % len(questions)])
                busy += BUSY_NOTE in answer.warnings
            except Exception as exc:  # noqa: BLE001 - counting every failure is the point
                errors.append(f"{type(exc).__name__}: {exc}")
            asks += 1
            i += 1

    t = threading.Thread(target=ask_loop, daemon=True)
    t.start()
    try:
        run_ingest(archive, data, prune=scenario == "prune")
    finally:
        time.sleep(0.3)
        stop.set()
        t.join(timeout=60)
    new = sorted(set(ref.after.sections) - set(ref.before.sections))
    sees_new = True
    if new:
        doc = reader.index.meta(new[-1]).doc_number
        answer = reader.ask(f"{doc}审议了什么？")
        sees_new = bool(answer.citations) and all(c.doc_number == doc for c in answer.citations) and not answer.warnings
    reader.close()
    if reader._store is not None:
        reader._store.reopen()
    final = snapshot(data)
    problems = []
    if final.sections != ref.after.sections:
        problems.append("SQLite differs from the sequential run")
    if final.vectors != ref.after.section_ids:
        problems.append(f"Chroma: {len(ref.after.section_ids - final.vectors)} lost, "
                        f"{len(final.vectors - ref.after.section_ids)} strays")
    return AskDuringIngest(asks, errors, busy, sees_new, "; ".join(problems))
