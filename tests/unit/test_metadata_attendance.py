"""The 出席/列席 parser on small made-up blocks: line breaks anywhere, several names
after one department, bare names, page breaks, and where the block ends."""

from __future__ import annotations

from minutes_rag.model import Observer
from minutes_rag.parse.attendance import extract_attendance, parse_attendees, parse_observers


def pairs(block: str) -> list[tuple[str, str]]:
    return [(o.org, o.name) for o in parse_observers(block)]


def test_one_entry_a_chunk() -> None:
    assert pairs("市住建局张伟 市人社局朱正 张家港市仇玉山 常熟市徐海东") == [
        ("市住建局", "张伟"), ("市人社局", "朱正"), ("张家港市", "仇玉山"), ("常熟市", "徐海东")
    ]


def test_breaks_inside_department_and_between_department_and_name() -> None:
    block = "市住建局张伟 市\n人社局朱正 市卫\n生健康委王禹 市纪委监委\n王辉斌 市委\n政法委蔡蔚"
    assert pairs(block) == [
        ("市住建局", "张伟"), ("市人社局", "朱正"), ("市卫生健康委", "王禹"),
        ("市纪委监委", "王辉斌"), ("市委政法委", "蔡蔚"),
    ]


def test_break_inside_a_name() -> None:
    assert pairs("市住建局张伟 市教育局朱向\n峰 市科技局吴伟澎") == [
        ("市住建局", "张伟"), ("市教育局", "朱向峰"), ("市科技局", "吴伟澎")
    ]
    assert pairs("市住建局张伟 市发改委夏\n文 市科技局吴伟澎") == [
        ("市住建局", "张伟"), ("市发改委", "夏文"), ("市科技局", "吴伟澎")
    ]


def test_several_names_after_one_department() -> None:
    assert pairs("省督导组李强、卞中尉 市司法局王侃、\n刘洋") == [
        ("省督导组", "李强"), ("省督导组", "卞中尉"), ("市司法局", "王侃"), ("市司法局", "刘洋")
    ]


def test_entries_separated_by_commas() -> None:
    assert pairs("市住建局张伟，市人社局朱正；市水利局钱立新") == [
        ("市住建局", "张伟"), ("市人社局", "朱正"), ("市水利局", "钱立新")
    ]


def test_bare_names_first_keep_an_empty_department() -> None:
    assert pairs("马九根 张焱 陈春明\n市住建局张伟") == [
        ("", "马九根"), ("", "张焱"), ("", "陈春明"), ("市住建局", "张伟")
    ]


def test_department_broken_before_a_suffix_that_could_start_a_name() -> None:
    # 苏州 and 银保 could be read as names; the next line completes the department
    assert pairs("市税务局柏立云 苏州\n海关程维勇 苏州银保\n监分局王矗 市气象局祁杰") == [
        ("市税务局", "柏立云"), ("苏州海关", "程维勇"), ("苏州银保监分局", "王矗"), ("市气象局", "祁杰")
    ]


def test_single_character_heads_and_unknown_suffix() -> None:
    assert pairs("市邮政局黄俊 铁\n塔江城分公司董飞 人行江城中支陈军 武\n警江城支队俞小良") == [
        ("市邮政局", "黄俊"), ("铁塔江城分公司", "董飞"), ("人行江城中支", "陈军"), ("武警江城支队", "俞小良")
    ]


def test_long_department_wrapped_twice() -> None:
    assert pairs("市第\n九组安全生产督导\n组尹培强 市第十组安全生产督导组\n岳建华") == [
        ("市第九组安全生产督导组", "尹培强"), ("市第十组安全生产督导组", "岳建华")
    ]


def test_department_without_a_person_does_not_swallow_the_next_entry() -> None:
    assert pairs("市国资委 市住建局张伟") == [("市住建局", "张伟")]


def test_page_break_inside_the_list_and_where_it_ends() -> None:
    text = (
        "出席：王大明 李小红\n\n"
        "列席：孙建国 市住建局周晓东 市体育局\n\n李镔 市统计局方国宏\n\n"
        "市国资委、江城军分区的代表\n\n"
        "记录：吴芳\n"
    )
    attendees, observers = extract_attendance(text)
    assert attendees == ["王大明", "李小红"]
    assert observers == [
        Observer("", "孙建国"), Observer("市住建局", "周晓东"), Observer("市体育局", "李镔"),
        Observer("市统计局", "方国宏"),
    ]


def test_list_stops_at_prose_and_labels() -> None:
    text = "列席：市住建局张伟\n\n江城市人民政府办公室整理\n\n2021年3月9日\n"
    assert extract_attendance(text)[1] == [Observer("市住建局", "张伟")]
    text = "列席：市住建局张伟 请假：市人社局朱正\n"
    assert extract_attendance(text)[1] == [Observer("市住建局", "张伟")]


def test_labels_with_spaces_and_ascii_colon() -> None:
    attendees, observers = extract_attendance("出 席: 王大明 李小红\n列席人员：市住建局周晓东\n")
    assert attendees == ["王大明", "李小红"]
    assert observers == [Observer("市住建局", "周晓东")]


def test_attendees_broken_names_and_separators() -> None:
    assert parse_attendees("李亚平 王翔 洪宗明 陆春云 江海 曹后灵\n杨知评 周伟 吴维群") == [
        "李亚平", "王翔", "洪宗明", "陆春云", "江海", "曹后灵", "杨知评", "周伟", "吴维群"
    ]
    assert parse_attendees("李亚平、王翔、洪宗\n明、陆春云") == ["李亚平", "王翔", "洪宗明", "陆春云"]
    assert parse_attendees("李亚平 王\n翔 洪宗明") == ["李亚平", "王翔", "洪宗明"]
    assert parse_attendees("李亚平（请假） 王翔") == ["李亚平", "王翔"]
    # a lost line break between two names
    assert parse_attendees("江海 曹后灵杨知评 周伟") == ["江海", "曹后灵", "杨知评", "周伟"]


def test_no_block_no_entries() -> None:
    assert extract_attendance("会议研究了城市更新工作。\n") == ([], [])
