"""The monitoring committee report: numbering rules, print HTML, PDF (tagged, cached), who may have it."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from documents import report_tasks
from documents.builders import content_version
from documents.committee_report import (
    Block,
    chapters,
    committee_report_print_html,
    next_section_number,
    points,
    split_paragraphs,
    without_printed_numbers,
)
from documents.models import GeneratedDocument
from monitoring import services
from monitoring.models import ActionReturn, CommitteeReport, CommitteeReportChapter, PriorityReturn
from plans.models import Action
from tests.documents.test_plan_pdf import _struct_types
from tests.factories import DirectorateFactory, DivisionFactory, MembershipFactory, UserFactory, year
from tests.monitoring.conftest import DEADLINE, entry, published_plan

# Numbering rules, on plain round_report() data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One paragraph.", [Block(["One paragraph."])]),
        ("First.\n\nSecond.", [Block(["First."]), Block(["Second."])]),
        ("First line\nsecond line", [Block(["First line", "second line"])]),
        (
            "The survey found:\n- 93% supervised\n- 94% focused",
            [Block(["The survey found:"], ["93% supervised", "94% focused"])],
        ),
        ("We are:\n\na) Developing\nb) Hosting", [Block(["We are:"], ["Developing", "Hosting"])]),
        ("- only a list", [Block([], ["only a list"])]),
        ("Para.\n\n- point one\n  goes on\n\nNext.", [Block(["Para."], ["point one goes on"]), Block(["Next."])]),
        ("Windows\r\n\r\nline ends", [Block(["Windows"]), Block(["line ends"])]),
    ],
)
def test_split_paragraphs(text, expected):
    assert split_paragraphs(text) == expected


@pytest.mark.parametrize(
    ("text", "lead", "expected", "printed"),
    [
        ("Plain text.", "Build capacity", [Block(["Plain text."])], [""]),
        # Typed with the number and lead the report printed: the app prints both itself.
        ("6.1 Build capacity -\nThe text.\n\n6.2 More.", "Build capacity", [Block(["The text."]), Block(["More."])],
         ["6.1", "6.2"]),
        ("**6.21 Build capacity –**\n\nThe text.", "Build capacity", [Block(["The text."])], ["6.21"]),
        ("6.3 Something else -\nThe text.", "Build capacity", [Block(["Something else -", "The text."])], ["6.3"]),
        ("Build capacity:\nThe text.", "Build capacity", [Block(["The text."])], [""]),
        ("1.3 is an action number here", "", [Block(["is an action number here"])], ["1.3"]),
        ("2013 was a year.", "", [Block(["2013 was a year."])], [""]),
    ],
)  # fmt: skip
def test_printed_numbers_and_leads_are_left_to_the_app(text, lead, expected, printed):
    assert without_printed_numbers(split_paragraphs(text), lead) == (expected, printed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One line of prose.", Block(["One line of prose."])),
        ("First point\nSecond point", Block([], ["First point", "Second point"])),
        ("- First point\n\n- Second point", Block([], ["First point", "Second point"])),
        ("- A single point", Block([], ["A single point"])),
        ("1.3 Care Navigators on hold\n2.3 Community Chest on hold", Block([], ["1.3 Care Navigators on hold",
                                                                              "2.3 Community Chest on hold"])),
    ],
)  # fmt: skip
def test_key_achievements_and_issues_are_points(text, expected):
    assert points(text) == expected


@pytest.mark.parametrize(
    ("introduction", "expected"),
    [
        ("", 1),
        ("Some words without numbers.", 1),
        ("## 1. Introduction\n\n1.1 Text\n\n1.2 More", 2),
        ("## 1. Introduction\n\n### 3. Children\n\n- 3.1 text\n\n### 5. Mid-Year\n\n- 5.2 report", 6),
        ("**4. Performance dashboard**\n\n4.3 Alerts: 12 of them", 5),
    ],
)
def test_next_section_number(introduction, expected):
    assert next_section_number(introduction) == expected


def _action(label, text, commentary="", status="on_course", withdrawn=""):
    return {
        "label": label,
        "text": text,
        "commentary": commentary,
        "status": status if not withdrawn else "",
        "status_label": {"completed": "Completed", "on_course": "On course", "delayed": "Delayed"}.get(status, ""),
        "withdrawn": withdrawn,
    }


def _unit(unit_id, code, level, priorities, decision_changes=""):
    return {
        "unit_id": unit_id,
        "unit_code": code,
        "unit_name": f"{code} division",
        "level": level,
        "plan": {"id": unit_id},
        "priorities": priorities,
        "decision_changes": decision_changes,
    }


def _priority(number, actions, achievements="", issues=""):
    return {
        "number": number,
        "title": f"Priority title {number}",
        "actions": actions,
        "key_achievements": achievements,
        "key_issues": issues,
    }


UNITS = [
    _unit(
        1,
        "LDMH",
        "Division",
        [
            _priority(
                1,
                [
                    _action("1", "Build capacity", "6.1 Build capacity -\nFirst para.\n\nSecond para.", "completed"),
                    _action("1.1", "Sub-action without commentary"),
                    _action("2", "Withdrawn one", "Not printed.", withdrawn="withdrawn"),
                ],
                achievements="- Done this\n- Done that",
            ),
            _priority(2, [_action("1", "Review services", "Only para.", "delayed")], issues="2.3 on hold"),
        ],
        decision_changes="A decision changed.",
    ),
    _unit(2, "LDMH-SU", "Service unit", [_priority(1, [_action("1", "Unit action", "Unit para.")])]),
    _unit(3, "SCS", "Division", [_priority(1, [_action("1", "Safeguard", "Safe para.")])]),
]
ROWS = [
    {"unit_id": 1, "code": "LDMH", "name": "Learning Disability/Mental Health"},
    {"unit_id": 3, "code": "SCS", "name": "Specialist Children's Services"},
]


def _numbers(chapter):
    return [(p.number, p.lead, p.kind) for priority in chapter.priorities for p in priority.paragraphs] + [
        (p.number, p.lead, p.kind) for p in chapter.decisions
    ]


def test_paragraphs_are_numbered_through_priorities_actions_and_service_units():
    ldmh, scs = chapters(ROWS, UNITS, {}, first=6)
    assert (ldmh.number, ldmh.heading, scs.number) == (6, "Learning Disability/Mental Health", 7)
    assert _numbers(ldmh) == [
        ("6.1", "Build capacity", "action"),  # the action is the bold lead of its first paragraph only
        ("6.2", "", "action"),
        ("6.3", "Key achievements", "achievements"),
        ("6.4", "Review services", "action"),
        ("6.5", "Key issues", "issues"),
        ("6.6", "Unit action", "action"),  # the service unit's priorities follow its division's
        ("6.7", "Changes to key or significant decisions since the publication of the business plan", "decisions"),
    ]
    assert [p.blocks for p in ldmh.priorities[0].paragraphs][2] == [Block([], ["Done this", "Done that"])]
    assert ldmh.priorities[0].paragraphs[0].blocks == [Block(["First para."])]  # typed number and lead left out
    assert ldmh.priorities[1].paragraphs[1].blocks == [Block(["2.3 on hold"])]  # an action number is kept
    assert ldmh.priorities[0].paragraphs[0].status == "Completed"
    assert ldmh.priorities[0].paragraphs[0].rag == "green"
    assert ldmh.priorities[1].paragraphs[0].rag == "red"
    assert _numbers(scs) == [("7.1", "Safeguard", "action")]


@pytest.mark.parametrize(
    ("printed", "first", "expected"),
    [
        ({}, 1, [(1, "LDMH"), (2, "SCS")]),
        ({3: (6, "Specialist Children's Services Division"), 1: (8, "")}, 1, [(6, "SCS"), (8, "LDMH")]),
        ({3: (6, "")}, 1, [(6, "SCS"), (7, "LDMH")]),  # rows without a printed number follow the last one
        ({3: (2, "")}, 6, [(2, "SCS"), (6, "LDMH")]),
    ],
)
def test_chapter_numbers_follow_the_printed_report_or_run_on(printed, first, expected):
    result = chapters(ROWS, UNITS, printed, first)
    assert [(chapter.number, chapter.unit_code) for chapter in result] == expected
    assert result[0].priorities[0].paragraphs[0].number == f"{expected[0][0]}.1"


# The report of a round, from the database


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return settings


@pytest.fixture
def plans(division, other_division):
    return published_plan(division, priorities=2, actions=2), published_plan(other_division, priorities=1, actions=2)


def _return_all(round_, plan, user, statuses):
    actions = list(Action.objects.filter(priority__plan=plan).order_by("priority__number", "number", "sub_number"))
    headlines = [action for action in actions if action.sub_number == 0]
    data = {action.pk: entry(status="on_course") for action in actions}
    for action, status in zip(headlines, statuses, strict=False):
        data[action.pk] = entry(
            status=status, commentary=f"Progress on {action.label} <b>bold</b>.\n\nA second paragraph."
        )
    services.return_save(round_=round_, plan=plan, user=user, actions=data)


@pytest.fixture
def round_(directorate, admin_user, plans, division, other_division):
    round_ = services.round_open(
        user=admin_user, directorate=directorate, year=year(2013), kind="mid_year", deadline=DEADLINE
    )
    div_plan, other_plan = plans
    _return_all(round_, div_plan, admin_user, ["completed", "on_course", "on_course", "completed"])
    _return_all(round_, other_plan, admin_user, ["completed", "delayed"])
    first_priority = div_plan.priorities.order_by("number").first()
    PriorityReturn.objects.create(
        round=round_,
        priority=first_priority,
        key_achievements="- Shared Lives launched",
        key_issues="1.3 Care Navigators on hold",
        entered_by=admin_user,
        entered_at=datetime.datetime(2013, 11, 1, tzinfo=datetime.UTC),
    )
    report = CommitteeReport.objects.create(
        round=round_,
        by="Graham Gibbens, Cabinet Member for Adult Social Care & Public Health\nAndrew Ireland, Corporate Director",
        to="Social Care and Public Health Cabinet Committee",
        date=datetime.date(2013, 12, 5),
        subject="Families and Social Care Performance and Mid-Year Business Plan Monitoring",
        classification="Unrestricted",
        summary="The performance dashboards provide members with progress against targets.",
        recommendation="Members are asked to note the mid-year business plan monitoring report.",
        introduction="## 1. Introduction\n\n1.1 Cabinet Committees shall review performance.\n\n"
        "## 5. Mid-Year Business Plan Monitoring\n\n5.1 The Directorate completed a monitoring exercise.",
        closing_sections="## 10. Risk and Business Continuity Management\n\n10.1 The register is reported.",
        authors="Steph Abbott  \nHead of Performance for Adult Social Care  \n01622 221796",
    )
    CommitteeReportChapter.objects.create(
        report=report, unit=other_division, number=6, heading="Older People and Physical Disability Division"
    )
    return round_


def test_print_html_holds_cover_dashboard_and_numbered_chapters(round_):
    html = committee_report_print_html(round_.pk, for_pdf=False)
    assert "Social Care and Public Health Cabinet Committee" in html
    assert "5 December 2013" in html
    assert "Unrestricted" in html
    assert "Graham Gibbens, Cabinet Member for Adult Social Care &amp; Public Health<br>Andrew Ireland" in html
    # The dashboard rows, counted from the returns: DIV 4 headline actions (2 completed), OTHER 2 (1 delayed).
    assert 'id="row-DIV"' in html
    assert 'id="row-OTHER"' in html
    assert "dashboards/rounds" not in html  # no drill-down links in print
    # OTHER is chapter 6 as printed; DIV follows as 7 (after the introduction's last section, 5).
    assert html.index("6 Older People and Physical Disability Division") < html.index(
        "7 Learning Disability/Mental Health"
    )
    assert '<span class="app-para__number">6.1</span>' in html
    assert '<span class="app-para__number">7.1</span>' in html
    assert "Progress on 1 &lt;b&gt;bold&lt;/b&gt;." in html  # returns are escaped
    assert "Key achievements" in html
    assert "Shared Lives launched" in html
    assert "Care Navigators on hold" in html
    assert "Steph Abbott" in html
    assert "<title>Families and Social Care Performance and Mid-Year Business Plan Monitoring</title>" in html


def test_the_numbered_paragraphs_come_from_the_returns(round_):
    html = committee_report_print_html(round_.pk, for_pdf=False)
    # OTHER: 2 headline actions with 2 paragraphs each = 6.1 … 6.4; nothing more.
    assert '<span class="app-para__number">6.4</span>' in html
    assert '<span class="app-para__number">6.5</span>' not in html
    # DIV: 4 headline actions, 2 paragraphs each, + key achievements + key issues = 7.1 … 7.10.
    assert '<span class="app-para__number">7.10</span>' in html
    assert '<span class="app-para__number">7.11</span>' not in html


def test_building_the_report_takes_the_same_queries_whatever_its_size(
    round_, directorate, admin_user, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as small:
        committee_report_print_html(round_.pk, for_pdf=False)
    plan = published_plan(DivisionFactory(parent=directorate, code="THIRD"), priorities=3, actions=3)
    _return_all(round_, plan, admin_user, ["completed"] * 9)
    with django_assert_num_queries(len(small.captured_queries)):
        committee_report_print_html(round_.pk, for_pdf=False)


def test_a_closed_round_prints_its_snapshot(round_, admin_user):
    services.round_close(round_=round_, user=admin_user)
    round_.refresh_from_db()
    before = committee_report_print_html(round_.pk, for_pdf=False)
    ActionReturn.objects.filter(round=round_).update(commentary="Rewritten after closing.")
    assert committee_report_print_html(round_.pk, for_pdf=False) == before
    assert "Draft:" not in before


def test_the_print_of_an_open_round_reads_the_returns_not_the_cache(round_):
    """A worker process may have a cache of its own (make run): documents never read it."""
    from monitoring.selectors import round_report

    round_report(round_)  # the pages' report, now cached
    ActionReturn.objects.filter(round=round_).update(commentary="Typed while the cache was warm.")
    assert "Typed while the cache was warm." in committee_report_print_html(round_.pk, for_pdf=False)


def save_each(rows, **values):
    """Change rows as the app's pages do, one save() each (a bulk update reaches no cache: common/cache.py)."""
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
        row.save()


def _version(round_):
    return content_version(committee_report_print_html(round_.pk, for_pdf=False))


@pytest.mark.parametrize(
    "change",
    [
        lambda round_: save_each(ActionReturn.objects.filter(round=round_), commentary="Something else."),
        lambda round_: save_each(ActionReturn.objects.filter(round=round_, status="on_course"), status="delayed"),
        lambda round_: save_each(PriorityReturn.objects.filter(round=round_), key_issues="A new issue"),
        lambda round_: save_each(CommitteeReport.objects.filter(round=round_), to="Cabinet"),
        lambda round_: save_each(CommitteeReportChapter.objects.filter(report__round=round_), number=9),
        lambda round_: save_each(type(round_).objects.filter(pk=round_.pk), source_note="Deadline reconstructed."),
    ],
    ids=["commentary", "status", "key issues", "cover", "chapter", "round"],
)
def test_a_change_to_the_round_its_returns_or_the_report_changes_the_key(round_, change):
    before = _version(round_)
    change(round_)
    assert _version(round_) != before


def test_pdf_is_tagged_accessible_a4_with_the_key_content(round_, settings_media):
    document = GeneratedDocument.objects.create(
        kind=GeneratedDocument.Kind.COMMITTEE_REPORT, object_id=round_.pk, content_version=_version(round_)
    )
    report_tasks.build_committee_report_pdf.call(document.pk)
    document.refresh_from_db()
    reader = PdfReader(io.BytesIO(document.file.read()))
    root = reader.trailer["/Root"]
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())

    assert document.status == "ready"
    assert document.pages == len(reader.pages) >= 5  # cover, introduction, dashboard, two chapters, closing …
    assert str(root["/Lang"]) == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == "Families and Social Care Performance and Mid-Year Business Plan Monitoring"
    assert reader.metadata.author.startswith("Graham Gibbens")
    assert "Social Care and Public Health Cabinet Committee" in reader.metadata.subject
    assert b"pdfuaid" in reader.xmp_metadata.stream.get_data()
    assert {"/Table", "/TH", "/TD", "/H1", "/H2"} <= _struct_types(root["/StructTreeRoot"], set())
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert f"Page 2 of {len(reader.pages)}" in reader.pages[1].extract_text()
    for expected in (
        "To Social Care and Public Health Cabinet Committee",
        "Date 5 December 2013",
        "Classification Unrestricted",
        "Members are asked to note",
        "DIV 2 4 2 2 0",  # division, priorities, actions, completed, on course, delayed or cancelled
        "OTHER 1 2 1 0 1",
        "Directorate totals 3 6 3 2 1",
        "6.1 ",
        "7.10 ",
        "Key achievements",
        "Steph Abbott",
    ):
        assert expected in flat, expected
    assert "Amber" in flat
    assert "Red" in flat  # RAG as words as well as colour
    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in _flatten(reader.outline)}
    assert "Contents" in bookmarks
    chapter = "6 Older People and Physical Disability Division"
    assert chapter in bookmarks
    # The contents give the page each part starts on, as the bookmarks do.
    contents = next(page.extract_text() for page in reader.pages if "Contents" in page.extract_text())
    printed_page = re.search(rf"{chapter}[ .]*(\d+)", contents).group(1)
    assert int(printed_page) == bookmarks[chapter] > 2


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _download(client, round_, capture):
    url = reverse("documents:committee_report_pdf", args=[round_.pk])
    with capture(execute=True):
        first = client.get(url)
    return first, client.get(url)


def test_first_download_prepares_then_serves_and_a_second_does_not_render_again(
    round_, client_for, committee_member, settings_media, django_capture_on_commit_callbacks, monkeypatch
):
    client = client_for(committee_member)
    first, second = _download(client, round_, django_capture_on_commit_callbacks)
    assert first.status_code == 202
    assert "Preparing the PDF" in first.content.decode()
    assert second.status_code == 200
    assert second["Content-Type"] == "application/pdf"
    assert b"".join(second.streaming_content).startswith(b"%PDF-")

    calls = []
    monkeypatch.setattr(report_tasks, "render_pdf", lambda html: calls.append(html) or (b"%PDF-", 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(reverse("documents:committee_report_pdf", args=[round_.pk]))
    assert again.status_code == 200
    assert calls == []
    assert GeneratedDocument.objects.filter(kind="committee_report").count() == 1

    save_each(ActionReturn.objects.filter(round=round_), commentary="A later edit.")
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.get(reverse("documents:committee_report_pdf", args=[round_.pk]))
    assert changed.status_code == 202
    assert len(calls) == 1
    assert GeneratedDocument.objects.filter(kind="committee_report").count() == 2


def test_status_endpoint_answers_in_json(round_, client_for, committee_member, settings_media):
    url = reverse("documents:committee_report_pdf", args=[round_.pk]) + "?status=1"
    assert client_for(committee_member).get(url).json() == {"status": "pending"}


def test_a_document_asked_for_before_a_change_is_not_built(round_, settings_media):
    stale = GeneratedDocument.objects.create(kind="committee_report", object_id=round_.pk, content_version="0" * 64)
    report_tasks.build_committee_report_pdf.call(stale.pk)
    stale.refresh_from_db()
    assert (stale.status, bool(stale.file)) == ("failed", False)
    assert "Superseded" in stale.error


@pytest.fixture
def outsider(db):
    """An editor of a division of another directorate."""
    other = DirectorateFactory(code="ELS", name="Education, Learning & Skills")
    unit = DivisionFactory(parent=other, code="ELS-DIV")
    return MembershipFactory(user=UserFactory(username="els.editor"), unit=unit, role="editor").user


@pytest.mark.parametrize("name", ["documents:committee_report_pdf", "documents:committee_report_print"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin_user", 200),
        ("approver", 200),
        ("committee_member", 200),
        ("unit_editor", 403),  # sees the round, but only its own division's plan: not the whole report
        ("other_unit_editor", 403),
        ("outsider", 404),  # another directorate's round
    ],
)
def test_who_may_have_the_committee_report(request, round_, client_for, settings_media, name, role, expected):
    response = client_for(request.getfixturevalue(role)).get(reverse(name, args=[round_.pk]))
    assert (200 if response.status_code == 202 else response.status_code) == expected


@pytest.mark.parametrize("name", ["documents:committee_report_pdf", "documents:committee_report_print"])
def test_anonymous_visitors_are_sent_to_sign_in(round_, name):
    response = Client().get(reverse(name, args=[round_.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_round_without_a_committee_report_has_none(round_, client_for, admin_user):
    CommitteeReport.objects.filter(round=round_).delete()
    client = client_for(admin_user)
    assert client.get(reverse("documents:committee_report_print", args=[round_.pk])).status_code == 404
    page = client.get(reverse("dashboards:round", args=[round_.pk])).content.decode()
    assert "Download committee report (PDF)" not in page


@pytest.mark.parametrize("page", ["dashboards:round", "monitoring:detail"])
def test_round_page_and_dashboard_link_to_the_report(round_, client_for, committee_member, unit_editor, page):
    pdf_url = reverse("documents:committee_report_pdf", args=[round_.pk])
    shown = client_for(committee_member).get(reverse(page, args=[round_.pk])).content.decode()
    assert "Download committee report (PDF)" in shown
    assert pdf_url in shown
    # Someone who may not have the whole report is not offered it.
    assert pdf_url not in client_for(unit_editor).get(reverse(page, args=[round_.pk])).content.decode()


def test_a_closed_round_prints_the_indicator_figures_of_the_day_it_closed(round_, admin_user, division):
    from performance.models import Actual
    from tests.performance.factories import IndicatorFactory, fill_indicator

    indicator = fill_indicator(IndicatorFactory(unit=division, reference="KPI 9", title="Frozen at close"), periods=6)
    open_html = committee_report_print_html(round_.pk, for_pdf=False)
    assert "Frozen at close" in open_html
    assert "these are the latest figures for the year when this document was printed" in open_html

    services.round_close(round_=round_, user=admin_user)
    closed_html = committee_report_print_html(round_.pk, for_pdf=False)
    assert "as they stood when the round closed on" in closed_html
    Actual.objects.filter(indicator_year__indicator=indicator).update(value=98765)
    indicator.title = "Renamed after closing"
    indicator.save()
    after = committee_report_print_html(round_.pk, for_pdf=False)
    assert after == closed_html
    assert "Frozen at close" in after
    assert "98765" not in after
    assert "98,765" not in after


def test_a_round_closed_before_snapshots_kept_the_kpi_prints_todays_figures(round_, admin_user, division):
    from monitoring.models import Round

    services.round_close(round_=round_, user=admin_user)
    snapshot = Round.objects.get(pk=round_.pk).snapshot
    del snapshot["kpi_html"]
    Round.objects.filter(pk=round_.pk).update(snapshot=snapshot)
    html = committee_report_print_html(round_.pk, for_pdf=False)
    assert "these are the latest figures for the year when this document was printed" in html
