"""Read a plan on the web as a reader does: its front page, then each of its sections' pages."""

from django.urls import reverse


def section_url(plan, code) -> str:
    return reverse("plans:section", args=[plan.pk, code])


def whole_plan(client, plan) -> str:
    """The HTML of the plan's front page and of every section page, in template order: what a reader
    sees going through the whole plan. Each page must answer 200."""
    pages = [reverse("plans:detail", args=[plan.pk])]
    pages += [section_url(plan, section.code) for section in plan.template.sections.all()]
    contents = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        contents.append(response.content.decode())
    return "\n".join(contents)
