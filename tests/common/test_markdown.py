import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from common.markdown import render_markdown


def test_script_tags_and_their_content_are_removed():
    html = render_markdown("Before\n\n<script>alert(1)</script>\n\nAfter")
    assert "<script" not in html
    assert "alert(1)" not in html
    assert "Before" in html
    assert "After" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](&#106;avascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
    ],
)
def test_links_to_scripts_lose_their_target(markdown):
    html = render_markdown(markdown).lower()
    assert "click</a>" in html
    assert "href" not in html
    assert "javascript" not in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<a href="https://example.org" onclick="steal()">link</a>',
        '<p onmouseover="steal()">paragraph</p>',
        '<strong onfocus="steal()" tabindex="0">strong</strong>',
        '<img src="x" onerror="steal()">',
        '<svg onload="steal()"></svg>',
    ],
)
def test_event_handler_attributes_are_removed(markdown):
    html = render_markdown(markdown)
    assert "steal()" not in html
    assert " on" not in html


def test_bullets_render_as_a_govuk_bullet_list():
    html = render_markdown("Our aims:\n\n- fewer people in long-term care\n- more personal budgets")
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "<li>fewer people in long-term care</li>" in html
    assert "<li>more personal budgets</li>" in html


def test_numbered_lists_render_as_a_govuk_numbered_list():
    html = render_markdown("1. first\n2. second")
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert "<li>second</li>" in html


def test_bold_and_italic_render():
    html = render_markdown("This is **important** and *urgent*.")
    assert "<strong>important</strong>" in html
    assert "<em>urgent</em>" in html


def test_paragraphs_links_and_headings_get_govuk_classes():
    html = render_markdown("### Heading\n\nSee [the council](https://www.kent.gov.uk).")
    assert '<h3 class="govuk-heading-s">Heading</h3>' in html
    assert '<p class="govuk-body">' in html
    assert 'href="https://www.kent.gov.uk"' in html
    assert 'class="govuk-link"' in html
    assert 'rel="noopener noreferrer"' in html


def test_user_text_cannot_choose_its_own_classes_or_styles():
    html = render_markdown('<p class="govuk-visually-hidden" style="display:none" id="x">hidden?</p>')
    assert html.strip() == '<p class="govuk-body">hidden?</p>'


def test_tags_outside_the_allowed_list_are_dropped_but_their_text_kept():
    html = render_markdown(
        '<div><iframe src="https://example.org"></iframe><table><tr><td>cell</td></tr></table></div>'
    )
    for tag in ("<div", "<iframe", "<table", "<td"):
        assert tag not in html
    assert "cell" in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_the_result_is_marked_safe_and_the_template_filter_uses_it():
    assert isinstance(render_markdown("text"), SafeString)
    rendered = Template("{% load kent %}{{ body|markdown }}").render(Context({"body": "**hi** <script>x()</script>"}))
    assert rendered.strip() == '<p class="govuk-body"><strong>hi</strong> </p>'
