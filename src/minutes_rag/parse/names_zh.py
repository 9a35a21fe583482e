"""Chinese personal-name knowledge used to read attendance lists: surnames.

The 列席 list of a minute runs department names and people's names together and wraps
lines anywhere, so telling "市卫生健康委" from "王禹" needs to know what a name looks like:
a surname (one character, or two for 欧阳/司马...) and one or two given characters.
COMMON holds the surnames of most people; RARE the rest of the 百家姓 and modern rare
surnames. The tiers break ties: in "人行苏州中支陈军" the name is 陈军, not 支陈军.
"""

from __future__ import annotations

from minutes_rag.text.lang import is_han

COMMON = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "傅龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左"
    "柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶"
    "解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米杭宗"
)

RARE = frozenset(
    "褚尤吕孔严华魏陶戚谢喻柏水窦章云潘葛奚郎韦昌苗凤花俞任袁酆鲍史费廉岑薛雷倪滕殷郝邬乐皮卞"
    "伍元卜平和萧湛祁禹狄贝明臧计伏成谈茅庞熊屈项祝阮闵席麻强路娄危童颜梅盛刁钟骆樊凌霍虞支柯昝"
    "经房裘缪干解应宗宣贲郁单杭洪包诸左崔钮龚嵇滑荣荀羊於惠甄曲家封芮羿储靳汲邴糜松井富巫乌巴弓"
    "牧隗山车宓蓬全郗班仰秋仲伊宁仇栾暴厉戎祖符景束幸韶郜蓟薄印宿怀蒲邰从鄂索咸籍赖蔺屠阴鬱胥"
    "能苍双闻莘翟谭贡劳逄姬扶堵宰郦雍郤璩桑桂濮寿通边扈燕冀郏浦农别庄柴瞿阎充慕茹习宦鱼容慎戈"
    "庾终暨居衡步都耿满弘匡国寇广禄阙东殳沃利蔚越夔隆师巩厍晁勾敖融訾辛阚那简饶空毋沙乜养鞠须丰"
    "巢蒯相查后荆红竺权逯盖益桓公晋楚法汝鄢涂钦帅缑亢况有琴商牟佘佴赏墨哈谯笪年爱佟言福栗兰邸冼"
    "揭练银禤佐占过戚谌植种敬仝粟晁檀苑原母党琚"
)

COMPOUND = frozenset(
    "欧阳 司马 上官 夏侯 诸葛 东方 皇甫 尉迟 公孙 令狐 慕容 长孙 宇文 司徒 司空 轩辕 端木 "
    "独孤 南宫 西门 百里 呼延 万俟 闻人 赫连 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 "
    "仲孙 钟离 鲜于 闾丘 亓官 司寇 第五 梁丘 左丘 东门 拓跋 完颜 爱新".split()
)

SURNAMES = COMMON | RARE


def _han(s: str) -> bool:
    return bool(s) and all(is_han(c) for c in s)


def name_score(s: str) -> int:
    """2 for a name with a common surname, 1 for a rare one, 0 if it does not look like a
    name (2-3 characters, or 3-4 with a compound surname)."""
    if not _han(s):
        return 0
    if s[:2] in COMPOUND and 3 <= len(s) <= 4:
        return 2
    if 2 <= len(s) <= 3:
        if s[0] in COMMON:
            return 2
        if s[0] in RARE:
            return 1
    return 0


def looks_like_name(s: str) -> bool:
    return name_score(s) > 0
