"""Interface strings in Chinese (the default) and English.

Only labels live here; the not-found answer comes from the Assistant so that the CLI and the
UI say the same thing.
"""

from __future__ import annotations

LANGS = ("zh", "en")

_STRINGS: dict[str, dict[str, str]] = {
    "title": {"zh": "会议纪要问答", "en": "Meeting minutes assistant"},
    "subtitle": {
        "zh": "回答只依据已收录的会议纪要，并注明出处（文号、会议次数、日期、议题）。",
        "en": "Answers come only from the ingested minutes, with their sources (document, meeting, date, item).",
    },
    "language": {"zh": "界面语言", "en": "Language"},
    "tab_chat": {"zh": "问答", "en": "Chat"},
    "tab_archive": {"zh": "纪要库", "en": "Archive"},
    "question": {"zh": "问题", "en": "Question"},
    "question_placeholder": {
        "zh": "例如：政策性租赁住房试点由哪个部门牵头？",
        "en": "e.g. Which department leads the rental housing pilot?",
    },
    "note": {"zh": "提示", "en": "Note"},
    "question_info": {"zh": "回车发送，Shift+回车换行", "en": "Enter sends, Shift+Enter adds a line"},
    "ask": {"zh": "提问", "en": "Ask"},
    "clear": {"zh": "清空对话", "en": "Clear chat"},
    "filters": {"zh": "检索范围", "en": "Filters"},
    "date_from": {"zh": "起始日期", "en": "From date"},
    "date_to": {"zh": "截止日期", "en": "To date"},
    "date_placeholder": {"zh": "YYYY-MM-DD，可留空", "en": "YYYY-MM-DD, optional"},
    "minute": {"zh": "限定纪要", "en": "Minute"},
    "all_minutes": {"zh": "全部纪要", "en": "All minutes"},
    "mode": {"zh": "回答方式", "en": "Answer mode"},
    "mode_extractive": {"zh": "摘录原文", "en": "Extractive"},
    "mode_llm": {"zh": "大模型生成", "en": "LLM"},
    "mode_fallback": {"zh": "摘录原文（大模型未采用）", "en": "Extractive (LLM reply not used)"},
    "mode_llm_missing": {"zh": "未配置大模型，仅可摘录原文", "en": "No LLM configured: extractive only"},
    "viewer": {"zh": "原文", "en": "Source"},
    "viewer_empty": {
        "zh": "点击回答下方的出处卡片或正文中的 [n] 标记，可在此查看纪要原文。",
        "en": "Click a citation card (or a [n] marker) to read the minute here.",
    },
    "viewer_missing": {"zh": "该纪要已不在库中。", "en": "This minute is no longer in the archive."},
    "you": {"zh": "问", "en": "You"},
    "assistant": {"zh": "答", "en": "Assistant"},
    "sources": {"zh": "出处", "en": "Sources"},
    "thinking": {"zh": "正在检索…", "en": "Searching…"},
    "warming": {
        "zh": "服务刚启动，正在加载模型和索引，加载完成后自动回答…",
        "en": "The server has just started and is loading the model and the index; your question is answered as soon as it is ready…",
    },
    "status_warming": {"zh": "⏳ 正在加载模型和索引…", "en": "⏳ Loading the model and the index…"},
    "status_ready": {"zh": "✅ 已就绪", "en": "✅ Ready"},
    "status_failed": {"zh": "⚠️ 预加载失败：{msg}", "en": "⚠️ Warm-up failed: {msg}"},
    "empty_chat": {
        "zh": "请输入问题。可在左侧按日期或纪要限定范围。",
        "en": "Ask a question. Narrow the search by date or minute on the left.",
    },
    "meeting_n": {"zh": "第{n}次会议", "en": "meeting {n}"},
    "page_n": {"zh": "第{n}页", "en": "p. {n}"},
    "ocr_progress": {"zh": "识别扫描件 {name}：{done}/{total} 页，{rate:.2f} 页/秒",
                     "en": "OCR {name}: {done}/{total} pages, {rate:.2f} pages/s"},
    "page_printed": {"zh": "第{n}页（页码{printed}）", "en": "p. {n} (printed {printed})"},
    "bad_date": {"zh": "日期格式应为 YYYY-MM-DD：{value}", "en": "Dates must look like YYYY-MM-DD: {value}"},
    "bad_range": {"zh": "起始日期晚于截止日期。", "en": "The start date is after the end date."},
    "error": {"zh": "出错了：{msg}", "en": "Something went wrong: {msg}"},
    "invalid": {"zh": "无法回答这个请求：{msg}", "en": "This request cannot be answered: {msg}"},
    "too_long": {"zh": "问题太长（{n} 字），上限为 {limit} 字，请缩短后再问。",
                 "en": "The question is {n} characters long; the limit is {limit}. Please shorten it."},
    "busy_note": {"zh": "索引正在由另一个进程更新：本回答仅来自关键词检索。",
                  "en": "The index is being updated by another process: this answer comes from the keyword index only."},
    "dense_note": {"zh": "向量索引暂不可用（{why}）：本回答仅来自关键词检索。",
                   "en": "The vector index is unavailable ({why}): this answer comes from the keyword index only."},
    "instruction_note": {"zh": "某个来源中有一段像是写给助手的指令，已略去未用。",
                         "en": "A source holds text that reads as an instruction to the assistant; it was not used."},
    "fallback_note": {"zh": "大模型的回答未被采用，以下为摘录原文（{why}）。",
                      "en": "The LLM's reply was not used; this answer is quoted from the sources ({why})."},
    "col_doc": {"zh": "文号", "en": "Document"},
    "col_meeting": {"zh": "会议次数", "en": "Meeting"},
    "col_date": {"zh": "日期", "en": "Date"},
    "col_title": {"zh": "标题", "en": "Title"},
    "col_sections": {"zh": "段落数", "en": "Sections"},
    "archive_count": {"zh": "共 {n} 份纪要", "en": "{n} minutes"},
    "upload": {"zh": "上传新纪要（{types}，单个文件不超过 {mb} MB）", "en": "Upload minutes ({types}, at most {mb} MB each)"},
    "ingest_progress": {"zh": "正在收录", "en": "Ingesting"},
    "ingest_done": {
        "zh": "新增 {added}，更新 {updated}，未变 {unchanged}，失败 {failed}。",
        "en": "{added} added, {updated} updated, {unchanged} unchanged, {failed} failed.",
    },
    "ingest_none": {"zh": "没有可收录的文件。", "en": "No files to ingest."},
    # how each uploaded minute was read (reading.MinuteRead) and its warnings (by code)
    "ingest_read": {"zh": "{file}：按{family}读取，议题 {items} 项，台账 {entries} 条",
                    "en": "{file}: read as {family}, {items} agenda items, {entries} ledger entries"},
    "warn_no_agenda_items": {"zh": "{file}：按段落读取，未识别出议题（{chars} 字），请核对",
                             "en": "{file}: read as paragraphs: no agenda items recognised ({chars} characters); please check it"},
    "warn_no_ledger_entries": {"zh": "{file}：未识别出决定、交办或汇报事项（{chars} 字），请核对",
                               "en": "{file}: no decision, assignment or report recognised ({chars} characters); please check it"},
    "too_big": {"zh": "文件过大（{size:.1f} MB，上限 {mb} MB）", "en": "file too large ({size:.1f} MB, limit {mb} MB)"},
    "bad_type": {"zh": "不支持的文件类型 {ext}", "en": "unsupported file type {ext}"},
    # the ledger tab (督办台账) and the timeline view
    "tab_ledger": {"zh": "督办台账", "en": "Ledger"},
    "tab_timeline": {"zh": "议题时间线", "en": "Timeline"},
    "ledger_unit": {"zh": "责任单位", "en": "Unit"},
    "ledger_unit_placeholder": {"zh": "例如：市住建局", "en": "e.g. Bureau of Transportation"},
    "ledger_kind": {"zh": "类型", "en": "Kind"},
    "ledger_keyword": {"zh": "关键词", "en": "Keyword"},
    "ledger_named": {"zh": "只看具名单位", "en": "Named units only"},
    "ledger_search": {"zh": "筛选", "en": "Filter"},
    "ledger_count": {"zh": "共 {n} 条", "en": "{n} entries"},
    "ledger_cut": {"zh": "（表中显示前 {n} 条，下载文件含全部）", "en": "(the table shows the first {n}; the downloads hold all)"},
    "ledger_xlsx": {"zh": "下载 Excel", "en": "Download xlsx"},
    "ledger_csv": {"zh": "下载 CSV", "en": "Download csv"},
    "ledger_file": {"zh": "督办台账", "en": "ledger"},
    "ledger_viewer_empty": {"zh": "点击表中一行，可在此查看该条的纪要原文。", "en": "Click a row to read its passage here."},
    "timeline_viewer_empty": {"zh": "点击左侧的会议卡片，可在此查看纪要原文。", "en": "Click a meeting's card to read its passage here."},
    "kind_all": {"zh": "全部", "en": "All"},
    "kind_decision": {"zh": "决定", "en": "Decision"},
    "kind_assignment": {"zh": "任务", "en": "Assignment"},
    "kind_report": {"zh": "汇报", "en": "Report"},
    "kind_mention": {"zh": "提及", "en": "Mention"},
    "lcol_date": {"zh": "日期", "en": "Date"},
    "lcol_doc": {"zh": "文号 / 会议", "en": "Document / meeting"},
    "lcol_item": {"zh": "议题", "en": "Item"},
    "lcol_kind": {"zh": "类型", "en": "Kind"},
    "lcol_matter": {"zh": "事项", "en": "Matter"},
    "lcol_lead": {"zh": "责任单位", "en": "Responsible"},
    "lcol_partners": {"zh": "配合单位", "en": "Partners"},
    "lcol_deadline": {"zh": "完成时限", "en": "Deadline"},
    "timeline_topic": {"zh": "议题", "en": "Topic"},
    "timeline_topic_placeholder": {"zh": "例如：老旧小区改造", "en": "e.g. rental housing"},
    "timeline_show": {"zh": "生成时间线", "en": "Show timeline"},
    "timeline_by": {"zh": "统计口径", "en": "Count by"},
    "timeline_year": {"zh": "按年", "en": "Year"},
    "timeline_quarter": {"zh": "按季度", "en": "Quarter"},
    "timeline_chart": {"zh": "各时期讨论该议题的会议数", "en": "Meetings that discussed the topic"},
    "timeline_period": {"zh": "时期", "en": "Period"},
    "timeline_meetings": {"zh": "会议数", "en": "Meetings"},
    "timeline_enter": {"zh": "请输入议题。", "en": "Enter a topic."},
    "timeline_count": {"zh": "“{topic}”：共 {n} 次会议讨论，按日期排列。", "en": "“{topic}”: {n} meeting(s), in date order."},
    "timeline_none": {"zh": "未找到讨论“{topic}”的会议。", "en": "No meeting discussed “{topic}”."},
    "timeline_empty": {"zh": "输入议题后，这里按日期列出讨论过它的每次会议及原文摘录。",
                       "en": "Enter a topic to list every meeting that discussed it, in date order, with quotes."},
    "mode_ledger": {"zh": "督办台账", "en": "Ledger"},
    "mode_timeline": {"zh": "议题时间线", "en": "Timeline"},
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The string for ``key`` in ``lang`` (Chinese for anything but "en")."""
    entry = _STRINGS[key]
    text = entry["en" if lang == "en" else "zh"]
    return text.format(**fmt) if fmt else text


def norm_lang(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh"
