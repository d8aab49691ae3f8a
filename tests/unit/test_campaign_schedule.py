"""A task's schedule status and the report calendar on fixed dates: milestone days, month
ends, leap years, the 12-10 and 12-31 deadlines in the city's time zone."""

from datetime import UTC, date, datetime

import pytest

from services.campaign import calendar as cal
from services.campaign.schedule import Milestone, Schedule, expected_percent, status
from services.core import clock

MILESTONES = [Milestone(date(2026, 3, 31), 20), Milestone(date(2026, 6, 30), 20),
              Milestone(date(2026, 11, 30), 20), Milestone(date(2026, 12, 31), 40)]
DUE = date(2026, 12, 31)


def _at(day, percent):
    return status(milestones=MILESTONES, due=DUE, percent=percent, today=day)


def test_the_expected_progress_steps_up_on_each_milestone_day():
    assert expected_percent(MILESTONES, date(2026, 3, 30)) == 0
    assert expected_percent(MILESTONES, date(2026, 3, 31)) == 20
    assert expected_percent(MILESTONES, date(2026, 11, 30)) == 60
    assert expected_percent(MILESTONES, date(2026, 12, 31)) == 100


def test_behind_the_third_milestone_says_so_in_one_sentence():
    s = _at(date(2026, 12, 1), 50)
    assert s.schedule is Schedule.BEHIND and s.light == "yellow" and s.needs_explanation
    assert (s.key, s.params) == ("schedule.behind",
                                 {"n": 3, "due": "11-30", "target": 60, "percent": 50})


def test_twenty_points_behind_is_serious():
    s = _at(date(2026, 11, 30), 40)
    assert s.schedule is Schedule.SERIOUS and s.light == "red"
    assert s.params == {"n": 3, "due": "11-30", "target": 60, "percent": 40}


def test_on_track_the_day_before_a_milestone_and_ahead_of_it():
    assert _at(date(2026, 11, 29), 40).schedule is Schedule.ON_TRACK
    assert _at(date(2026, 11, 30), 65).schedule is Schedule.ON_TRACK
    assert not _at(date(2026, 11, 30), 65).needs_explanation


def test_no_report_yet_counts_as_nothing_done():
    assert _at(date(2026, 1, 15), None).key == "schedule.before_first"
    assert _at(date(2026, 4, 1), None).schedule is Schedule.SERIOUS


def test_past_the_due_date_unfinished_is_overdue_and_finished_is_done():
    s = _at(date(2027, 1, 1), 95)
    assert s.schedule is Schedule.OVERDUE and s.params == {"due": "12-31", "percent": 95}
    assert _at(date(2027, 1, 1), 100).schedule is Schedule.DONE
    assert _at(date(2026, 5, 1), 100).schedule is Schedule.DONE  # early is fine
    # On the due day itself the task is not overdue yet.
    assert _at(DUE, 100).schedule is Schedule.DONE
    assert _at(DUE, 90).schedule is Schedule.BEHIND


@pytest.mark.parametrize(("month", "due_day", "due"), [
    (date(2026, 1, 1), 5, date(2026, 2, 5)),
    (date(2026, 1, 31), 31, date(2026, 2, 28)),  # February has no 31st
    (date(2028, 1, 15), 30, date(2028, 2, 29)),  # leap year
    (date(2026, 12, 1), 5, date(2027, 1, 5)),  # across the year
])
def test_the_monthly_report_is_due_in_the_following_month(month, due_day, due):
    assert cal.monthly_due(month, due_day) == due


def test_the_special_and_annual_reports_fall_on_their_days():
    assert cal.yearly_due(2026, "12-10") == date(2026, 12, 10)
    assert cal.yearly_due(2026, "12-31") == date(2026, 12, 31)
    assert cal.yearly_due(2027, "02-29") == date(2027, 2, 28)
    assert cal.yearly_due(2028, "02-29") == date(2028, 2, 29)


def test_on_time_late_missing_and_pending():
    due = date(2026, 12, 10)
    assert cal.timeliness(due, date(2026, 12, 10), date(2026, 12, 20)) is cal.Timeliness.ON_TIME
    assert cal.timeliness(due, date(2026, 12, 11), date(2026, 12, 20)) is cal.Timeliness.LATE
    assert cal.timeliness(due, None, date(2026, 12, 10)) is cal.Timeliness.PENDING
    assert cal.timeliness(due, None, date(2026, 12, 11)) is cal.Timeliness.MISSING


def test_the_deadline_is_the_citys_day_not_utcs():
    # 23:30 on 12-10 in Jiayuguan is 15:30 UTC on 12-10: on time. 00:30 on 12-11 there is
    # 16:30 UTC on 12-10: late, though UTC still says the 10th.
    due = cal.yearly_due(2026, "12-10")
    on_time = clock.local_date(datetime(2026, 12, 10, 15, 30, tzinfo=UTC))
    late = clock.local_date(datetime(2026, 12, 10, 16, 30, tzinfo=UTC))
    assert cal.timeliness(due, on_time, date(2027, 1, 1)) is cal.Timeliness.ON_TIME
    assert cal.timeliness(due, late, date(2027, 1, 1)) is cal.Timeliness.LATE


def test_a_report_on_a_future_month_is_not_reportable():
    assert cal.reportable_month(date(2026, 11, 1), date(2026, 11, 30))
    assert cal.reportable_month(date(2026, 10, 1), date(2026, 11, 1))
    assert not cal.reportable_month(date(2026, 12, 1), date(2026, 11, 30))
