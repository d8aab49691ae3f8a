"""What demo complainants write: Chinese texts built from slots (the unit's own services,
a problem of the complaint's category, when, what it cost them, what they ask for), so
that a text model has something real to learn routing from, but not trivially: units of
one industry offer the same services, a fifth of the texts never name the unit, some name
it only by a nickname or a generic word (营业厅, 医院), and some mix in a second problem or
an aside about another office."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo import org as demo_org

CATEGORIES = ("工作不到位", "服务态度差", "工作方式不当", "办事拖拉", "乱收费", "其他")


@dataclass(frozen=True)
class Kind:
    """Units that do the same work: their services, how people call them, the problems
    specific to them (category -> clauses), category weights, a month profile and how
    many complaints they attract compared with others."""

    services: tuple[str, ...]
    generic: tuple[str, ...]  # what people call such a place without naming it
    problems: dict[str, tuple[str, ...]] = field(default_factory=dict)
    weights: tuple[int, ...] = (3, 3, 2, 3, 1, 1)  # in CATEGORIES order
    season: str = "flat"
    volume: float = 1.0


KINDS: dict[str, Kind] = {
    "gov_office": Kind(
        ("政府信息公开申请", "市长信箱留言", "12345转办件答复", "征地补偿协调"),
        ("政府办", "政府"),
        {"办事拖拉": ("信息公开申请超过法定期限仍未答复",),
         "工作不到位": ("留言回复只有一句套话，问题根本没解决",)},
        (3, 1, 2, 4, 0, 1), volume=0.6),
    "efficiency": Kind(("效能投诉受理", "作风问题举报"), ("效能办",),
                       {}, (2, 1, 1, 2, 0, 2), volume=0.15),
    "development": Kind(
        ("企业投资项目备案", "价格举报", "项目审批"), ("发改委",),
        {"办事拖拉": ("项目备案材料交了两个月还在审核",)}, (2, 1, 2, 4, 1, 1), volume=0.3),
    "finance": Kind(
        ("惠民补贴发放", "政府采购款支付", "耕地地力补贴"), ("财政局",),
        {"办事拖拉": ("采购合同验收半年了款项还没有支付",),
         "工作不到位": ("补贴名单公示了却一直没到账",)}, (3, 1, 1, 4, 0, 1), volume=0.4),
    "hr_social": Kind(
        ("劳动仲裁", "拖欠工资投诉", "失业保险金申领", "职称评审", "就业补贴申请"),
        ("人社局", "劳动监察"),
        {"工作不到位": ("投诉工地老板拖欠工资，劳动监察一直不处理",),
         "办事拖拉": ("仲裁申请递交后迟迟不立案",)}, (4, 2, 2, 3, 0, 1), volume=1.1),
    "land": Kind(
        ("宅基地审批", "土地证办理", "规划许可", "征地补偿"), ("自然资源局", "国土部门"),
        {"工作方式不当": ("测量时不通知本人，四至界线划错了",)}, (2, 1, 3, 3, 1, 1),
        volume=0.5),
    "housing": Kind(
        ("物业纠纷调处", "老旧小区改造", "维修基金使用", "建筑工地夜间施工"),
        ("住建局", "住建部门"),
        {"工作不到位": ("小区改造挖开的路面三个月没有恢复", "工地夜里施工噪音扰民，投诉多次无人管"),
         "工作方式不当": ("维修基金使用要全体业主签字，根本办不到",)},
        (4, 1, 2, 2, 1, 1), season="summer", volume=1.0),
    "transport": Kind(
        ("道路维修", "网约车许可", "驾校培训投诉", "客运班车"), ("交通局", "交通运输部门"),
        {"工作不到位": ("路面坑洼多次反映没人修",)}, (4, 1, 2, 2, 1, 1), volume=0.6),
    "education_bureau": Kind(
        ("小学入学划片", "学籍转移", "教师有偿补课举报", "校外培训机构"), ("教育局",),
        {"工作方式不当": ("划片政策临时调整，没有提前告知家长",),
         "工作不到位": ("举报老师有偿补课，教育局一直没有回复",)}, (3, 1, 3, 2, 1, 1),
        season="school", volume=0.8),
    "health_commission": Kind(
        ("医疗纠纷调解", "出生医学证明", "医师执业投诉"), ("卫健委",),
        {}, (3, 1, 2, 3, 1, 1), volume=0.4),
    "market_city": Kind(
        ("营业执照变更", "食品安全投诉", "价格欺诈举报", "消费维权"), ("市场监管局", "工商部门"),
        {"工作不到位": ("举报超市卖过期食品，十几天了没人来查",)}, (4, 1, 2, 2, 0, 1),
        volume=0.8),
    "civil_affairs": Kind(
        ("低保申请", "婚姻登记", "养老机构投诉", "残疾人两项补贴"), ("民政局",),
        {"工作方式不当": ("低保复核要求提供与申请无关的证明",)}, (3, 2, 3, 2, 0, 1),
        volume=0.7),
    "police_city": Kind(
        ("户口迁移", "出入境证件", "车辆违章处理", "身份证补办"), ("公安局", "车管所"),
        {"服务态度差": ("民警对群众咨询很不耐烦",)}, (2, 3, 2, 3, 0, 1), volume=0.8),
    "tax": Kind(
        ("个税汇算退税", "发票代开", "社保费缴纳", "房产交易契税"), ("税务局", "办税大厅"),
        {"办事拖拉": ("个税退税申请提交两个月还没到账",)}, (2, 2, 2, 3, 1, 1), volume=0.7),
    "propaganda": Kind(("文明城市创建", "公益广告牌"), ("宣传部",), {}, (2, 1, 2, 1, 0, 3),
                       volume=0.15),
    "tv": Kind(
        ("有线电视信号", "收视费缴纳", "机顶盒维修"), ("广电", "有线电视"),
        {"工作不到位": ("有线电视信号一直不好，画面老是卡",),
         "乱收费": ("机顶盒坏了上门换一个要收两百元",)}, (4, 1, 1, 2, 2, 1), volume=0.5),
    "service_center": Kind(
        ("一窗受理", "预约取号", "帮办代办", "自助终端打印"), ("政务大厅", "政务中心"),
        {"其他": ("大厅停车位太少，办事没地方停车", "叫号系统经常出故障"),
         "工作不到位": ("帮办代办窗口经常没人",)}, (3, 2, 1, 3, 0, 2), volume=1.2),
    "housing_fund": Kind(
        ("公积金提取", "公积金贷款", "公积金异地转移", "公积金缴存基数调整"), ("公积金中心",),
        {"办事拖拉": ("公积金贷款审批拖了一个多月",)}, (2, 2, 2, 4, 0, 1), volume=0.8),
    "medical_insurance": Kind(
        ("医保报销", "异地就医备案", "门诊慢特病认定", "医保卡挂失"), ("医保局",),
        {"办事拖拉": ("住院费用报销材料交了三个月还没报下来",)}, (3, 1, 2, 4, 0, 1),
        volume=0.9),
    "industry_it": Kind(
        ("企业技改补贴", "宽带入户协调"), ("工信局",), {}, (2, 1, 1, 3, 0, 2), volume=0.2),
    "power": Kind(
        ("电费缴纳", "新装电表", "停电抢修", "电表校验", "光伏并网"),
        ("供电公司", "电力公司", "电业局"),
        {"工作不到位": ("小区一周停了三次电，也不提前通知", "报修后抢修人员半天才到"),
         "乱收费": ("电表换了以后电费突然翻倍", "装表要另交三百元的'材料费'"),
         "办事拖拉": ("光伏并网申请两个月没有答复",)},
        (4, 2, 1, 2, 2, 1), season="summer", volume=1.6),
    "heating": Kind(
        ("冬季供暖", "取暖费缴纳", "暖气管道维修", "停暖申请"),
        ("热力公司", "供热公司", "暖气公司"),
        {"工作不到位": ("家里暖气温度只有十二三度，老人孩子冻得受不了",
                        "暖气片不热，打了好几次热线也没人来看"),
         "乱收费": ("没有供暖的房子也照收取暖费", "空置房申请停暖还要交百分之三十的费用"),
         "办事拖拉": ("暖气管道漏水报修三天没人来",)},
        (5, 2, 1, 2, 2, 0), season="winter", volume=2.2),
    "water": Kind(
        ("停水", "水质问题", "水表更换", "水费缴纳"), ("自来水公司", "供水公司"),
        {"工作不到位": ("连续两天停水也没提前通知", "自来水发黄有异味"),
         "乱收费": ("水表换了以后水费多了一倍",)},
        (5, 1, 1, 2, 2, 1), season="summer", volume=1.5),
    "bus": Kind(
        ("公交线路", "公交卡充值", "老年卡办理"), ("公交公司", "公交车"),
        {"服务态度差": ("公交司机对老人刷卡慢很不耐烦，还骂人",),
         "工作不到位": ("公交车经常晚点，等了四十分钟都不来",)}, (3, 4, 2, 1, 0, 1),
        volume=1.0),
    "taxi": Kind(
        ("出租车乘车", "出租车投诉"), ("出租车", "出租车管理处"),
        {"乱收费": ("出租车不打表，一口价要五十元",),
         "服务态度差": ("出租车拒载，司机还出言不逊",)}, (2, 3, 1, 1, 3, 1), volume=0.6),
    "telecom": Kind(
        ("宽带安装", "套餐变更", "手机销号", "话费查询", "携号转网"),
        ("营业厅", "运营商", "通讯公司"),
        {"乱收费": ("套餐里被偷偷加了增值业务，每月多扣十几元",
                    "销号时要求交违约金三百元"),
         "工作不到位": ("家里手机信号很差，报了好几次没人处理",),
         "办事拖拉": ("宽带报装一个星期还没人上门",)}, (2, 2, 2, 2, 4, 1), volume=1.0),
    "bank": Kind(
        ("开户", "取款", "贷款申请", "信用卡", "社保卡激活"), ("银行", "网点"),
        {"乱收费": ("账户被扣了不明的年费和小额账户管理费", "办贷款被要求买理财产品"),
         "服务态度差": ("大堂经理态度冷淡，让老人自己去机器上办",),
         "办事拖拉": ("取号后排了一个多小时，只开了一个窗口",)}, (1, 3, 2, 3, 3, 1),
        volume=0.8),
    "insurance": Kind(
        ("车险理赔", "退保", "保单变更"), ("保险公司",),
        {"办事拖拉": ("车险理赔材料交了一个月还不赔",),
         "工作方式不当": ("业务员夸大收益诱导购买保险",)}, (2, 2, 3, 3, 2, 1), volume=0.5),
    "hospital": Kind(
        ("挂号", "门诊看病", "住院", "检查化验", "取药"), ("医院",),
        {"服务态度差": ("医生看病三分钟就打发走，问多了就发火", "护士对病人家属态度很凶"),
         "乱收费": ("住院清单里有没用过的药和检查", "做了不必要的检查，多花了几百元"),
         "办事拖拉": ("检查报告等了一个星期才出来",)}, (2, 4, 2, 2, 3, 1), volume=1.4),
    "cdc": Kind(
        ("疫苗接种", "健康证办理", "狂犬疫苗"), ("疾控中心",),
        {"工作不到位": ("健康证办理预约排到一个月以后",)}, (3, 2, 1, 3, 1, 1),
        season="spring", volume=0.5),
    "high_school": Kind(
        ("学生在校情况", "食堂伙食", "教辅资料", "晚自习安排"), ("学校", "中学"),
        {"乱收费": ("学校统一收取教辅资料费，不买不行", "假期补课每人收一千二"),
         "工作方式不当": ("班主任当着全班的面体罚学生",)}, (2, 2, 3, 1, 4, 1),
        season="school", volume=0.7),
    "primary_school": Kind(
        ("课后服务", "放学接送", "校服征订", "营养餐"), ("学校", "小学"),
        {"乱收费": ("课后服务费每学期收八百元，却只是看自习", "校服必须在指定的店里买，价格贵一倍"),
         "工作不到位": ("放学时校门口拥堵，没人维持秩序",)}, (3, 2, 2, 1, 4, 1),
        season="school", volume=0.6),
    "window_property": Kind(
        ("不动产登记", "房产证过户", "抵押登记", "不动产权证补办"), ("不动产登记中心", "窗口"),
        {"办事拖拉": ("房产证过户材料交齐了还要等一个月",),
         "工作方式不当": ("窗口要求夫妻双方必须同时到场，外地的根本回不来",)},
        (2, 2, 2, 4, 1, 1), volume=1.0),
    "window_social": Kind(
        ("社保卡补办", "养老保险转移", "退休审批", "医保参保登记"), ("社保窗口", "窗口"),
        {"办事拖拉": ("养老保险转移办了三个月还没转过来",)}, (2, 3, 2, 4, 0, 1), volume=1.0),
    "window_fund": Kind(
        ("公积金提取", "公积金账户查询", "公积金贷款"), ("公积金窗口", "窗口"),
        {}, (2, 3, 2, 4, 0, 1), volume=0.6),
    "window_market": Kind(
        ("营业执照办理", "个体户注销", "食品经营许可"), ("市场监管窗口", "窗口"),
        {"工作方式不当": ("办执照被要求先去刻章公司刻章",)}, (2, 2, 3, 3, 1, 1), volume=0.6),
    "district_office": Kind(
        ("拆迁补偿", "环境整治", "信访事项", "背街小巷改造"), ("区政府", "区里"),
        {"工作不到位": ("小区门口的垃圾堆了一个月没人清运",)}, (4, 1, 3, 2, 0, 1), volume=0.8),
    "district_social": Kind(
        ("低保申请", "临时救助", "残疾人补贴", "高龄津贴"), ("社会事务局",),
        {"办事拖拉": ("高龄津贴申请了半年还没发",)}, (3, 2, 3, 3, 0, 1), volume=0.6),
    "market_station": Kind(
        ("食品安全投诉", "商户价格纠纷", "缺斤短两"), ("市场监管所", "工商所"),
        {"工作不到位": ("菜市场缺斤短两，举报了也没人来查",)}, (4, 1, 2, 2, 0, 1),
        volume=0.6),
    "power_station": Kind(
        ("停电抢修", "电费缴纳", "电表过户"), ("供电所", "电工"),
        {"工作不到位": ("村里一刮风就停电，线路老化没人管", "报修停电后四个小时才来人"),
         "乱收费": ("供电所电工上门换个开关收了一百五",)}, (4, 2, 1, 2, 2, 1),
        season="summer", volume=0.8),
    "heat_station": Kind(
        ("暖气不热", "供暖管网维修", "暖气放水"), ("供热站", "换热站"),
        {"工作不到位": ("楼顶几户暖气一直不热，供热站来放了放气就走了",
                        "暖气温度上不去，屋里只有十四度")},
        (5, 2, 1, 2, 1, 0), season="winter", volume=1.2),
    "health_center": Kind(
        ("家庭医生签约", "老年人体检", "预防接种", "慢病随访"), ("卫生服务中心", "社区医院"),
        {"工作不到位": ("签了家庭医生，一年了一次也没联系过",)}, (3, 3, 1, 2, 1, 1),
        volume=0.6),
    "police_station": Kind(
        ("户口登记", "居住证办理", "报警求助", "开具证明"), ("派出所",),
        {"工作不到位": ("报警后民警一个多小时才到现场",),
         "工作方式不当": ("户籍民警让我开'我妈是我妈'之类的证明",)}, (3, 3, 3, 2, 0, 1),
        volume=0.7),
    "convenience_center": Kind(
        ("证明开具", "居住证申领", "老年优待证", "生育登记"), ("便民服务中心", "社区"),
        {"工作不到位": ("工作时间窗口没人，电话也没人接",)}, (3, 3, 2, 2, 0, 1), volume=0.6),
    "town_gov": Kind(
        ("惠农补贴", "宅基地审批", "村道修缮", "土地流转"), ("镇政府", "镇上"),
        {"工作不到位": ("村道坏了两年，反映多次没人修",),
         "工作方式不当": ("土地流转合同村民都没看就让签字",)}, (4, 1, 3, 2, 1, 1),
        volume=0.7),
    "town_clinic": Kind(
        ("看病拿药", "新农合报销", "预防接种"), ("卫生院", "镇医院"),
        {"工作不到位": ("卫生院晚上没有值班医生",)}, (3, 3, 1, 2, 2, 1), volume=0.5),
    "town_school": Kind(
        ("校车接送", "营养餐", "学生住宿"), ("学校", "小学"),
        {"工作不到位": ("校车超员，孩子只能站着",)}, (3, 2, 2, 1, 3, 1), season="school",
        volume=0.4),
}

# Unit name (or district pattern) -> its kind, and the nicknames people use for it.
UNIT_KIND: dict[str, str] = {
    "市政府办公室": "gov_office", "市效能办": "efficiency", "市发展和改革委员会": "development",
    "市财政局": "finance", "市人力资源和社会保障局": "hr_social", "市自然资源局": "land",
    "市住房和城乡建设局": "housing", "市交通运输局": "transport", "市教育局": "education_bureau",
    "市卫生健康委员会": "health_commission", "市市场监督管理局": "market_city",
    "市民政局": "civil_affairs", "市公安局": "police_city", "市税务局": "tax",
    "市委宣传部": "propaganda", "市广播电视台": "tv", "市政务服务中心": "service_center",
    "市公积金管理中心": "housing_fund", "市医疗保障局": "medical_insurance",
    "市工业和信息化局": "industry_it", "市供电公司": "power", "市热力公司": "heating",
    "市供水公司": "water", "市公交公司": "bus", "市出租汽车管理处": "taxi",
    "中国移动嘉峪关分公司": "telecom", "中国联通嘉峪关分公司": "telecom",
    "中国电信嘉峪关分公司": "telecom", "工商银行嘉峪关分行": "bank",
    "农业银行嘉峪关分行": "bank", "建设银行嘉峪关分行": "bank",
    "中国人寿嘉峪关分公司": "insurance", "人保财险嘉峪关分公司": "insurance",
    "市第一人民医院": "hospital", "市中医医院": "hospital", "市妇幼保健院": "hospital",
    "市疾病预防控制中心": "cdc", "市第一中学": "high_school", "市酒钢三中": "high_school",
    "市实验小学": "primary_school", "市政务大厅不动产登记窗口": "window_property",
    "市政务大厅社保窗口": "window_social", "市政务大厅公积金窗口": "window_fund",
    "市政务大厅市场监管窗口": "window_market",
    "{d}人民政府办公室": "district_office", "{d}社会事务局": "district_social",
    "{d}市场监管所": "market_station", "{d}供电所": "power_station",
    "{d}供热站": "heat_station", "{d}卫生服务中心": "health_center",
    "{d}派出所": "police_station", "{d}便民服务中心": "convenience_center",
    "{d}人民政府": "town_gov", "{d}卫生院": "town_clinic", "{d}中心小学": "town_school",
}
NICKNAMES: dict[str, tuple[str, ...]] = {
    "中国移动嘉峪关分公司": ("移动公司", "移动营业厅", "中国移动"),
    "中国联通嘉峪关分公司": ("联通公司", "联通营业厅", "中国联通"),
    "中国电信嘉峪关分公司": ("电信公司", "电信营业厅", "中国电信"),
    "工商银行嘉峪关分行": ("工行", "工商银行"),
    "农业银行嘉峪关分行": ("农行", "农业银行"),
    "建设银行嘉峪关分行": ("建行", "建设银行"),
    "中国人寿嘉峪关分公司": ("中国人寿", "人寿保险"),
    "人保财险嘉峪关分公司": ("人保", "人保财险"),
    "市第一人民医院": ("市一院", "第一人民医院"),
    "市中医医院": ("中医院",),
    "市妇幼保健院": ("妇幼保健院", "妇幼"),
    "市疾病预防控制中心": ("疾控中心", "市疾控"),
    "市第一中学": ("一中", "市一中"),
    "市酒钢三中": ("酒钢三中", "三中"),
    "市实验小学": ("实验小学",),
    "市人力资源和社会保障局": ("人社局",),
    "市住房和城乡建设局": ("住建局",),
    "市市场监督管理局": ("市场监管局",),
    "市卫生健康委员会": ("卫健委",),
    "市发展和改革委员会": ("发改委",),
    "市出租汽车管理处": ("出租车管理处", "运管处"),
}
# Some units draw their own specific services on top of their kind's.
EXTRA_SERVICES: dict[str, tuple[str, ...]] = {
    "市中医医院": ("针灸理疗", "中药代煎"),
    "市妇幼保健院": ("产检", "儿童保健", "新生儿疫苗"),
    "市第一人民医院": ("急诊", "CT检查"),
    "中国移动嘉峪关分公司": ("移动宽带", "5G套餐"),
    "中国联通嘉峪关分公司": ("联通宽带", "冰激凌套餐"),
    "中国电信嘉峪关分公司": ("电信光纤", "天翼套餐"),
    "工商银行嘉峪关分行": ("工资卡",),
    "农业银行嘉峪关分行": ("惠农卡", "助农取款"),
    "建设银行嘉峪关分行": ("房贷", "公积金联名卡"),
}
# Season profiles: relative weight by month (1..12). Jiayuguan heats from mid-October to
# mid-April; water and power trouble peaks in the summer heat; schools in term time.
SEASONS: dict[str, tuple[float, ...]] = {
    "flat": (1.0,) * 12,
    "winter": (3.0, 2.6, 2.0, 1.0, 0.2, 0.1, 0.1, 0.1, 0.3, 1.4, 2.6, 3.2),
    "summer": (0.6, 0.6, 0.7, 0.8, 1.1, 1.8, 2.2, 2.0, 1.2, 0.8, 0.6, 0.6),
    "school": (0.6, 0.4, 1.3, 1.2, 1.2, 1.1, 0.4, 0.6, 1.8, 1.3, 1.2, 1.0),
    "spring": (0.8, 0.9, 1.4, 1.5, 1.3, 1.0, 0.9, 0.9, 1.0, 0.9, 0.8, 0.8),
}

GENERIC_PROBLEMS: dict[str, tuple[str, ...]] = {
    "工作不到位": ("问题反映了好几次一直没有解决", "来人看了一眼就走了，问题还在",
                   "公示的服务电话根本打不通", "一次性告知不到位，让我来回补了三次材料",
                   "说好上门处理，到现在也没人来"),
    "服务态度差": ("工作人员态度恶劣，说话很冲", "窗口人员爱答不理，一直低头玩手机",
                   "工作人员很不耐烦，还当众训斥我", "咨询的时候对方直接挂了电话",
                   "问了两句就被说'自己看墙上的告示'"),
    "工作方式不当": ("要求提供和业务无关的证明材料", "处理问题简单粗暴，不听群众解释",
                     "几个部门互相推诿，让我去找别人", "非要下载APP才能办，老人根本不会用",
                     "不经通知就直接上门处理，事后也不说明"),
    "办事拖拉": ("材料交了一个多月还没有办下来", "一直说在走流程，迟迟没有结果",
                 "承诺三个工作日办结，结果拖了半个月", "多次催问都说再等等",
                 "排队两个多小时才轮到我"),
    "乱收费": ("收了没有公示的费用，也不给票据", "多收了{amount}元，问了也不解释",
               "收费标准和墙上公示的不一致，多收{amount}元", "要交{amount}元'加急费'才给办",
               "强行收取{amount}元的服务费"),
    "其他": ("办事指南和实际要求对不上", "建议周末也安排人值班", "希望增加自助办理设备",
             "网上预约系统老是登录不上去"),
}
WHEN = ("昨天上午", "昨天下午", "今天上午", "前天", "上周三", "上周五", "本月初", "前几天",
        "上个月中旬", "周一早上", "{m}月{d}日", "{m}月{d}日上午", "{m}月{d}日下午")
CONSEQUENCES = ("耽误了一整天的工", "来回跑了三趟", "家里老人急得睡不着觉", "孩子上学的事被耽误了",
                "生意都受了影响", "请了两天假也没办成", "心里非常窝火", "给生活带来很大不便",
                "一家人都很着急")
DEMANDS = ("希望有关部门尽快处理。", "请求给个说法。", "希望领导重视一下。",
           "请效能办督促解决。", "要求相关人员道歉。", "希望早日解决。", "盼回复。")
REFUND = ("要求退还多收的费用。", "希望查一查收费是否合规。")
ASIDES = ("之前去银行办事也遇到过类似情况。", "打12345也反映过。", "社区网格员说不归他们管。",
          "在网上也留言过，没有回音。", "听说邻居也有一样的问题。")
ROADS = ("新华路", "雄关路", "五一路", "胜利路", "建设路", "兰新路", "长城路", "迎宾路", "朝阳路",
         "福民路", "前进路", "酒钢路")

TEMPLATES_NAMED = (
    "{when}我到{ref}办理{service}，{problem}，{consequence}。{demand}",
    "反映{ref}的问题：{service}的时候{problem}。{consequence}，{demand}",
    "本人家住{place}，{when}因为{service}的事找{ref}，{problem}。{demand}",
    "{ref}{problem}，我{service}的事到现在也没解决，{consequence}。",
    "市民来电反映，{when}在{ref}办理{service}，{problem}。{demand}",
    "投诉{ref}：{problem}。具体情况是{service}，{consequence}。{demand}",
    "{place}的居民反映{ref}{service}方面的问题：{problem}，{demand}",
)
TEMPLATES_UNNAMED = (
    "{when}去办{service}，{problem}，{consequence}，{demand}",
    "我是{place}的居民，{service}的问题{problem}。{demand}",
    "来电人称{service}{problem}，{consequence}。{demand}",
    "关于{service}：{problem}。{demand}",
)


@dataclass(frozen=True)
class UnitProfile:
    name: str
    kind: str
    district: str | None  # the district or town the unit serves (None: the whole city)
    places: tuple[str, ...]  # where its complainants live

    @property
    def data(self) -> Kind:
        return KINDS[self.kind]


def profiles() -> list[UnitProfile]:
    """Every demo unit with its kind and the places its complainants come from."""
    result = []
    for name, _industry, district, _sup in demo_org.all_units():
        # District and town bodies are named by pattern ("{d}供电所").
        kind = UNIT_KIND.get(name) or UNIT_KIND[name.replace(district or "", "{d}", 1)]
        result.append(UnitProfile(name, kind, district, _places(district)))
    return result


def _places(district: str | None) -> tuple[str, ...]:
    if district is None:
        return tuple(f"{d}{c}" for d, cs in demo_org.COMMUNITIES.items() for c in cs[:2])
    names = list(demo_org.COMMUNITIES.get(district, ()))
    names += [t for t, d in demo_org.TOWNS.items() if d == district]
    return tuple(f"{district}{n}" for n in names) + (district,)


def category_for(rng: random.Random, unit: UnitProfile) -> str:
    return rng.choices(CATEGORIES, weights=unit.data.weights)[0]


# Clerks file a complaint under a neighbouring category now and then (is a month's wait
# 办事拖拉 or 工作不到位?): the category model learns from what they chose.
NEIGHBOURS = {
    "工作不到位": ("办事拖拉", "工作方式不当"), "办事拖拉": ("工作不到位",),
    "服务态度差": ("工作方式不当",), "工作方式不当": ("服务态度差", "工作不到位"),
    "乱收费": ("工作方式不当",), "其他": ("工作不到位", "服务态度差"),
}


def filed_as(rng: random.Random, category: str) -> str:
    return rng.choice(NEIGHBOURS[category]) if rng.random() < 0.12 else category


def address(rng: random.Random, unit: UnitProfile) -> str:
    place = rng.choice(unit.places)
    flat = f"{rng.randint(1, 12)}-{rng.randint(1, 6)}0{rng.randint(1, 4)}"
    return f"{place}{rng.choice(ROADS)}{rng.randint(1, 188)}号{flat}"


def compose(rng: random.Random, unit: UnitProfile, category: str, *, month: int = 0) -> str:
    """One complaint about `unit` of `category`, as a complainant would put it."""
    kind = unit.data
    services = kind.services + EXTRA_SERVICES.get(unit.name, ())
    own = kind.problems.get(category, ())
    problem = rng.choice(own) if own and rng.random() < 0.55 else rng.choice(
        GENERIC_PROBLEMS[category])
    problem = problem.format(amount=rng.choice((30, 50, 80, 100, 120, 200, 300, 500)))
    if rng.random() < 0.12:  # a second grievance of another kind muddies the category
        other = rng.choice([c for c in CATEGORIES if c != category])
        problem += "，而且" + rng.choice(GENERIC_PROBLEMS[other]).format(amount=100)
    month = month or rng.randint(1, 12)
    slots = {
        "when": rng.choice(WHEN).format(m=month, d=rng.randint(1, 28)),
        "service": rng.choice(services),
        "problem": problem,
        "consequence": rng.choice(CONSEQUENCES),
        "demand": rng.choice(REFUND) if category == "乱收费" and rng.random() < 0.6
        else rng.choice(DEMANDS),
        "place": rng.choice(unit.places),
    }
    roll = rng.random()
    if roll < 0.2:
        text = rng.choice(TEMPLATES_UNNAMED).format(**slots)
    else:
        if roll < 0.55:
            ref = unit.name
        elif roll < 0.8 and unit.name in NICKNAMES:
            ref = rng.choice(NICKNAMES[unit.name])
        elif unit.district and roll < 0.8:
            ref = unit.district + rng.choice(kind.generic)
        else:
            ref = rng.choice(kind.generic)  # "the bank": which one?
        text = rng.choice(TEMPLATES_NAMED).format(ref=ref, **slots)
    if rng.random() < 0.1:
        text += rng.choice(ASIDES)
    return text


def repeat(rng: random.Random, text: str) -> str:
    """The same caller again about the same matter, a little differently put."""
    opening = rng.choice(("再次反映：", "之前反映过的问题还没解决。", "第二次投诉：", ""))
    closing = rng.choice(("到现在还是没人管！", "请尽快回复。", "已经过去好多天了。", ""))
    return opening + text + closing
