"""Messy hotline exports, written by the tests: what 12345 platforms and open-data portals
really send (a title above the header, GBK, full-width digits, mixed date formats, empty
and repeated rows, units the city calls otherwise)."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook

from services.core import clock

HEADER = ["工单编号", "受理时间", "来源渠道", "来电人", "联系电话", "被投诉单位", "所属区县",
          "投诉类别", "投诉内容"]
UNITS = ("峪泉供电所", "镜铁区实验小学")
DISTRICTS = ("雄关区", "镜铁区")


def day(days_ago: int):
    """A date in the recent past (an import refuses a received time in the future)."""
    return clock.today() - timedelta(days=days_ago)


def gbk_rows() -> list[list[str]]:
    """Header on line 3; 12 rows below it: 4 good, 2 skipped by rule, 6 bad."""
    d1, d2, d3, d4 = day(3), day(4), day(5), day(6)
    return [
        ["嘉峪关市12345政务服务便民热线 工单导出"] + [""] * 8,
        [f"导出时间：{d1:%Y-%m-%d}", "", "", "", "", "", "", "", ""],
        HEADER,
        ["GD001", f"{d1:%Y-%m-%d} 09:30", "12345", "张三", "13812341234", "峪泉供电所", "雄关区",
         "服务态度差", "窗口人员态度生硬"],
        ["ＧＤ００２", f"{d2:%Y/%m/%d}", "来电", "李四", "０９３７－６２２１２３４",
         "镜铁区实验小学", "", "办事拖拉", "入学手续跑了三趟"],
        ["GD003", f"{d3.year}年{d3.month}月{d3.day}日 14时05分", "网络", "", "", "峪泉供电所", "",
         "工作不到位", "停电不通知"],
        ["GD004", f"{d4:%Y%m%d}", "来信", "王五", "13900001111", "", "镜铁区", "",
         "路灯坏了没人修"],
        ["", "", "", "", "", "", "", "", ""],
        ["GD001", f"{d1:%Y-%m-%d} 09:30", "12345", "张三", "13812341234", "峪泉供电所", "雄关区",
         "服务态度差", "窗口人员态度生硬"],
        ["GD002", f"{d2:%Y/%m/%d}", "来电", "李四", "09376221234", "镜铁区实验小学", "",
         "办事拖拉", "另一件事"],
        ["GD005", "2026-13-01", "来电", "赵六", "13700000000", "", "", "", "日期写错了"],
        ["GD006", f"{d1:%Y-%m-%d}", "来电", "钱七", "13600000000", "市供电局", "", "", "停电"],
        ["GD007", f"{d1:%Y-%m-%d}", "来电", "孙八", "13500000000", "", "", "", ""],
        ["GD008", f"{d1:%Y-%m-%d}", "传真", "周九", "13400000000", "", "", "", "传真来的"],
        ["", f"{d1:%Y-%m-%d}", "来电", "吴十", "13300000000", "", "", "", "没有工单编号"],
    ]


GBK_COUNTS = {"created": 4, "updated": 0, "unchanged": 0, "skipped": 2, "failed": 6}
GBK_AGAIN = {"created": 0, "updated": 0, "unchanged": 4, "skipped": 2, "failed": 6}


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    return "".join(",".join(row) + "\r\n" for row in rows).encode(encoding)


def gbk_csv() -> bytes:
    return csv_bytes(gbk_rows(), "gbk")


def open_data_csv() -> bytes:
    """An English open-data export, UTF-8 with a BOM, month-first dates with AM/PM."""
    d1, d2 = day(2), day(3)
    rows = [
        ["Ticket ID", "Created Date", "Channel", "Agency", "Borough", "Complaint Type",
         "Description", "Phone"],
        ["NY-1", f"{d1:%m/%d/%Y} 09:15 PM", "Phone", "峪泉供电所", "雄关区", "其他",
         "Noise at night", "13812340000"],
        ["NY-2", f"{d2:%m/%d/%Y} 10:00 AM", "Online", "", "镜铁区", "其他", "Pothole", ""],
    ]
    return "\r\n".join(",".join(r) for r in rows).encode("utf-8-sig")


def excel_serial(moment_day, hour: int = 0, minute: int = 0) -> float:
    from datetime import date

    return (moment_day - date(1899, 12, 30)).days + (hour * 60 + minute) / 1440


def xlsx_with_serials() -> bytes:
    """Dates as bare Excel serial numbers and as real date cells; header on line 2."""
    from datetime import datetime

    wb = Workbook()
    ws = wb.active
    ws.append(["省纠风网投诉件"])
    ws.append(["工单编号", "受理时间", "来源渠道", "投诉人", "联系电话", "被投诉单位", "投诉内容",
               "是否越级"])
    ws.append(["SJ-1", excel_serial(day(7), 9, 30), "省纠风网", "张三", 13812341234,
               "峪泉供电所", "多次反映无果", "是"])
    ws.append(["SJ-2", datetime.combine(day(8), datetime.min.time()).replace(hour=15),
               "省纠风网", "李四", "13812345678", "镜铁区实验小学", "乱收费", "否"])
    ws.append(["SJ-3", excel_serial(day(9)), "省纠风网", "", "", "", "匿名反映", ""])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
