"""The demo city of the seed speech (嘉峪关): its districts, towns, communities, industries,
about 80 units, and one account per role."""

from __future__ import annotations

DISTRICTS = ["雄关区", "镜铁区", "长城区"]
# Town -> the district it belongs to.
TOWNS = {"峪泉镇": "雄关区", "文殊镇": "镜铁区", "新城镇": "长城区"}
COMMUNITIES = {
    "雄关区": ["建设社区", "新华社区", "五一社区", "胜利社区"],
    "镜铁区": ["朝阳社区", "光明社区", "和诚社区", "前进社区"],
    "长城区": ["长城社区", "福民社区", "兰新社区", "大众社区"],
    "峪泉镇": ["嘉峪关村", "黄草营村"],
    "文殊镇": ["文殊村", "河口村"],
    "新城镇": ["新城村", "横沟村"],
}
INDUSTRIES = [
    "政府部门",
    "金融保险",
    "通讯",
    "交通运输",
    "供电",
    "供暖",
    "供水",
    "教育",
    "医疗卫生",
    "新闻宣传",
    "市场监管",
    "公共服务",
]

# (name, industry, district or None for city level, supervising department or None)
CITY_UNITS = [
    ("市政府办公室", "政府部门", None, None),
    ("市效能办", "政府部门", None, "市政府办公室"),
    ("市发展和改革委员会", "政府部门", None, None),
    ("市财政局", "政府部门", None, None),
    ("市人力资源和社会保障局", "政府部门", None, None),
    ("市自然资源局", "政府部门", None, None),
    ("市住房和城乡建设局", "政府部门", None, None),
    ("市交通运输局", "交通运输", None, None),
    ("市教育局", "教育", None, None),
    ("市卫生健康委员会", "医疗卫生", None, None),
    ("市市场监督管理局", "市场监管", None, None),
    ("市民政局", "政府部门", None, None),
    ("市公安局", "政府部门", None, None),
    ("市税务局", "政府部门", None, None),
    ("市委宣传部", "新闻宣传", None, None),
    ("市广播电视台", "新闻宣传", None, "市委宣传部"),
    ("市政务服务中心", "公共服务", None, "市政府办公室"),
    ("市公积金管理中心", "金融保险", None, None),
    ("市医疗保障局", "医疗卫生", None, None),
    ("市工业和信息化局", "通讯", None, None),
    ("市供电公司", "供电", None, "市工业和信息化局"),
    ("市热力公司", "供暖", None, "市住房和城乡建设局"),
    ("市供水公司", "供水", None, "市住房和城乡建设局"),
    ("市公交公司", "交通运输", None, "市交通运输局"),
    ("市出租汽车管理处", "交通运输", None, "市交通运输局"),
    ("中国移动嘉峪关分公司", "通讯", None, "市工业和信息化局"),
    ("中国联通嘉峪关分公司", "通讯", None, "市工业和信息化局"),
    ("中国电信嘉峪关分公司", "通讯", None, "市工业和信息化局"),
    ("工商银行嘉峪关分行", "金融保险", None, None),
    ("农业银行嘉峪关分行", "金融保险", None, None),
    ("建设银行嘉峪关分行", "金融保险", None, None),
    ("中国人寿嘉峪关分公司", "金融保险", None, None),
    ("人保财险嘉峪关分公司", "金融保险", None, None),
    ("市第一人民医院", "医疗卫生", None, "市卫生健康委员会"),
    ("市中医医院", "医疗卫生", None, "市卫生健康委员会"),
    ("市妇幼保健院", "医疗卫生", None, "市卫生健康委员会"),
    ("市疾病预防控制中心", "医疗卫生", None, "市卫生健康委员会"),
    ("市第一中学", "教育", None, "市教育局"),
    ("市酒钢三中", "教育", None, "市教育局"),
    ("市实验小学", "教育", None, "市教育局"),
    ("市政务大厅不动产登记窗口", "公共服务", None, "市政务服务中心"),
    ("市政务大厅社保窗口", "公共服务", None, "市政务服务中心"),
    ("市政务大厅公积金窗口", "公共服务", None, "市政务服务中心"),
    ("市政务大厅市场监管窗口", "公共服务", None, "市政务服务中心"),
]

# District bodies and grass-roots stations, the same set in each district.
DISTRICT_UNIT_PATTERNS = [
    ("{d}人民政府办公室", "政府部门", None),
    ("{d}社会事务局", "政府部门", None),
    ("{d}市场监管所", "市场监管", "市市场监督管理局"),
    ("{d}供电所", "供电", "市供电公司"),
    ("{d}供热站", "供暖", "市热力公司"),
    ("{d}卫生服务中心", "医疗卫生", "市卫生健康委员会"),
    ("{d}派出所", "政府部门", "市公安局"),
    ("{d}便民服务中心", "公共服务", "市政务服务中心"),
]
TOWN_UNIT_PATTERNS = [
    ("{d}人民政府", "政府部门", None),
    ("{d}卫生院", "医疗卫生", "市卫生健康委员会"),
    ("{d}中心小学", "教育", "市教育局"),
]

# username, display name, role, district scope, unit scope
ACCOUNTS = [
    ("admin", "系统管理员", "admin", None, None),
    ("office", "市效能办 王敏", "office", None, None),
    ("leader", "市领导 李强", "leader", None, None),
    ("inspector1", "督察组 张伟", "inspector", None, None),
    ("inspector2", "督察组 刘洋", "inspector", "雄关区", None),
    ("inspector3", "督察组 陈静", "inspector", "镜铁区", None),
    ("unit_gdj", "市供电公司 联络员 赵磊", "unit", None, "市供电公司"),
    ("unit_zwzx", "市政务服务中心 联络员 孙丽", "unit", None, "市政务服务中心"),
    ("unit_xg", "雄关区政府办 联络员 周杰", "unit", None, "雄关区人民政府办公室"),
]


def all_units() -> list[tuple[str, str, str | None, str | None]]:
    units = list(CITY_UNITS)
    for d in DISTRICTS:
        units += [(p.format(d=d), ind, d, sup) for p, ind, sup in DISTRICT_UNIT_PATTERNS]
    for town in TOWNS:
        units += [(p.format(d=town), ind, town, sup) for p, ind, sup in TOWN_UNIT_PATTERNS]
    return units
