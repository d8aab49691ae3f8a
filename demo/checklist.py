"""The demo checklist: the campaign's eight systems (八项制度) and work discipline."""

from services.fieldwork.checklists import ItemSpec

NAME = "效能风暴明察暗访检查表"
DESCRIPTION = "八项制度落实情况与工作纪律、服务态度、办事效率、公示公开"

EIGHT_SYSTEMS = "八项制度"
DISCIPLINE = "工作纪律与作风"

ITEMS = [
    ItemSpec(EIGHT_SYSTEMS, "首问责任制：首问人员热情接待、负责引导", photo_required_on_fail=False),
    ItemSpec(EIGHT_SYSTEMS, "限时办结制：办理时限公开并按时办结"),
    ItemSpec(EIGHT_SYSTEMS, "一次性告知制：办事须知一次性书面告知"),
    ItemSpec(EIGHT_SYSTEMS, "服务承诺制：服务承诺在醒目位置公示", photo_required_on_fail=True),
    ItemSpec(EIGHT_SYSTEMS, "AB岗工作制：AB岗设置明确，缺岗有人顶岗", photo_required_on_fail=True),
    ItemSpec(EIGHT_SYSTEMS, "岗位责任制：岗位职责上墙、责任到人"),
    ItemSpec(EIGHT_SYSTEMS, "责任追究制：有追究办法并有执行记录"),
    ItemSpec(EIGHT_SYSTEMS, "否定报备制：不予办理事项有书面说明并报备"),
    ItemSpec(DISCIPLINE, "在岗在位：工作人员按时到岗、无脱岗离岗", photo_required_on_fail=True),
    ItemSpec(DISCIPLINE, "着装规范、佩戴工作牌", photo_required_on_fail=True),
    ItemSpec(DISCIPLINE, "服务态度：文明用语、无推诿刁难"),
    ItemSpec(DISCIPLINE, "工作纪律：无玩手机、闲聊、网购等与工作无关行为",
             photo_required_on_fail=True),
    ItemSpec(DISCIPLINE, "办事效率：窗口排队等候人数", answer_type="number"),
    ItemSpec(DISCIPLINE, "公示公开：办事指南、收费标准、投诉电话公示齐全",
             photo_required_on_fail=True),
    ItemSpec(DISCIPLINE, "其他情况说明", answer_type="text"),
]
