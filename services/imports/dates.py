"""Dates and times as hotline exports write them, read as the city's wall clock:

    2026-11-25 09:30    2026/11/25    2026.11.25 9:30:05    2026-11-25T09:30
    2026年11月25日 9时30分    2026年11月25日9点30分    20261125    202611250930
    11/25/2026 9:30 AM (English open-data exports: month first)
    46351.395833 (an Excel serial number: days since 1899-12-30)

Full-width digits and punctuation (２０２６／１１／２５) read as their ASCII forms."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

# Day 0 of Excel's 1900 date system, as it counts (its phantom 1900-02-29 included).
_EXCEL_EPOCH = datetime(1899, 12, 30)
# Serials from 1982 to 2119: a bare number outside it is more likely a typo than a date.
_SERIAL_RANGE = (30000, 80000)

_TIME = r"(?:[ T]*(\d{1,2})[:时点](\d{1,2})?(?:分|:(\d{1,2})(?:\.\d+)?)?(?:(\d{1,2})秒)?分?)?"
_YMD = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?" + _TIME)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?")
_MDY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"
                  r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")


def parse_datetime(text: str) -> datetime | None:
    """A naive wall-clock time, or None when the text is no date this module knows (or no
    real day: 2026-02-30)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    try:
        if found := _YMD.fullmatch(text):
            y, mo, d, h, mi, s1, s2 = found.groups()
            return datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0),
                            int(s1 or s2 or 0))
        if found := _COMPACT.fullmatch(text):
            return datetime(*(int(g or 0) for g in found.groups()))
        if found := _MDY.fullmatch(text):
            mo, d, y, h, mi, s, half = found.groups()
            hour = int(h or 0)
            if half:
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if half.lower() == "pm" else 0)
            return datetime(int(y), int(mo), int(d), hour, int(mi or 0), int(s or 0))
        if _SERIAL.fullmatch(text):
            serial = float(text)
            if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
                return None
            moment = _EXCEL_EPOCH + timedelta(days=serial)
            return moment.replace(microsecond=0) + timedelta(
                seconds=round(moment.microsecond / 1e6))
    except ValueError:  # month 13, day 32, hour 25
        return None
    return None


def parse_date(text: str) -> date | None:
    moment = parse_datetime(text)
    return moment.date() if moment else None
