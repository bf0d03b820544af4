"""The Vietnamese lunar calendar, as far as deadlines need it: the date of Tết Nguyên đán.

Notices set deadlines against Tết ("hoàn thành trước Tết Nguyên đán Bính Ngọ"), and Tết moves
every year. Its date is computed here, without a table or a package, by Hồ Ngọc Đức's
algorithm (astronomical new moons and solar terms, after Jean Meeus's "Astronomical
Algorithms"), on Vietnam's time zone (UTC+7): the first day of the first lunar month is the
new moon after the month holding the winter solstice's month plus one (two in a year with a
leap month between them). Pure; tested against the `holidays` package for 1990-2100.
"""

from __future__ import annotations

import math
from datetime import date

from bot.domain.text import strip_diacritics

__all__ = ["can_chi", "lunar_new_year", "year_of_can_chi"]

_TIME_ZONE = 7.0  # Vietnam: UTC+7
_SYNODIC_MONTH = 29.530588853
_EPOCH_JDN = 2415021  # 1900-01-01 as a Julian day number
_CAN = ("giáp", "ất", "bính", "đinh", "mậu", "kỷ", "canh", "tân", "nhâm", "quý")
_CHI = ("tý", "sửu", "dần", "mão", "thìn", "tỵ", "ngọ", "mùi", "thân", "dậu", "tuất", "hợi")
_SOUTHERN = {"meo": "mao", "ti": "ty"}
_ORDINAL_OF_JDN_0 = date(1, 1, 1).toordinal() - 1721426  # date.toordinal() - JDN offset


def _jdn(day: date) -> int:
    return day.toordinal() - _ORDINAL_OF_JDN_0


def _date_of_jdn(jdn: int) -> date:
    return date.fromordinal(jdn + _ORDINAL_OF_JDN_0)


def _new_moon(k: int) -> float:
    """Julian day (UT) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    dr = math.pi / 180
    jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
    c1 = (0.1734 - 0.000393 * t) * math.sin(m * dr) + 0.0021 * math.sin(2 * dr * m)
    c1 = c1 - 0.4068 * math.sin(mpr * dr) + 0.0161 * math.sin(dr * 2 * mpr)
    c1 = c1 - 0.0004 * math.sin(dr * 3 * mpr)
    c1 = c1 + 0.0104 * math.sin(dr * 2 * f) - 0.0051 * math.sin(dr * (m + mpr))
    c1 = c1 - 0.0074 * math.sin(dr * (m - mpr)) + 0.0004 * math.sin(dr * (2 * f + m))
    c1 = c1 - 0.0004 * math.sin(dr * (2 * f - m)) - 0.0006 * math.sin(dr * (2 * f + mpr))
    c1 = c1 + 0.0010 * math.sin(dr * (2 * f - mpr)) + 0.0005 * math.sin(dr * (2 * mpr + m))
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + c1 - delta_t


def _new_moon_day(k: int) -> int:
    """The local day (Julian day number) of the k-th new moon."""
    return math.floor(_new_moon(k) + 0.5 + _TIME_ZONE / 24)


def _sun_longitude_sector(jdn: int) -> int:
    """Which twelfth of the ecliptic (0-11) the sun is in at the start of local day ``jdn``."""
    t = (jdn - 0.5 - _TIME_ZONE / 24 - 2451545.0) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    longitude = (l0 + dl) * dr
    longitude -= 2 * math.pi * math.floor(longitude / (2 * math.pi))
    return math.floor(longitude / math.pi * 6)


def _month_11_start(year: int) -> int:
    """First day (JDN) of the lunar month holding the winter solstice of ``year``."""
    offset = _jdn(date(year, 12, 31)) - _EPOCH_JDN
    k = math.floor(offset / _SYNODIC_MONTH)
    start = _new_moon_day(k)
    if _sun_longitude_sector(start) >= 9:
        start = _new_moon_day(k - 1)
    return start


def _leap_month_offset(month_11: int) -> int:
    """Months after month 11 until the first one without a principal solar term."""
    k = math.floor((month_11 - 2415021.076998695) / _SYNODIC_MONTH + 0.5)
    i = 1
    arc = _sun_longitude_sector(_new_moon_day(k + i))
    while True:
        last = arc
        i += 1
        arc = _sun_longitude_sector(_new_moon_day(k + i))
        if arc == last or i >= 14:
            return i - 1


def lunar_new_year(year: int) -> date:
    """The first day of Tết Nguyên đán in the solar year ``year`` (2026 -> 17/02/2026)."""
    previous_11 = _month_11_start(year - 1)
    this_11 = _month_11_start(year)
    k = math.floor(0.5 + (previous_11 - 2415021.076998695) / _SYNODIC_MONTH)
    months_after = 2  # month 11 -> month 12 -> month 1
    if this_11 - previous_11 > 365:  # a leap year: 13 months between the two solstice months
        leap_offset = _leap_month_offset(previous_11)
        if months_after >= leap_offset:
            months_after += 1
    return _date_of_jdn(_new_moon_day(k + months_after))


def can_chi(year: int) -> str:
    """The year's name in the sixty-year cycle, lower case: 2026 -> "bính ngọ"."""
    return f"{_CAN[(year + 6) % 10]} {_CHI[(year + 8) % 12]}"


def year_of_can_chi(name: str, *, not_before: int) -> int | None:
    """The first year from ``not_before`` whose cycle name is ``name`` ("Bính Ngọ", "binh ngo";
    "Mẹo" and "Tị" are the southern and older spellings of "Mão" and "Tỵ")."""
    words = _plain(name).split()
    if len(words) != 2:
        return None
    wanted = f"{words[0]} {_SOUTHERN.get(words[1], words[1])}"
    for year in range(not_before, not_before + 60):
        if _plain(can_chi(year)) == wanted:
            return year
    return None


def _plain(name: str) -> str:
    return " ".join(strip_diacritics(name.lower()).split())
