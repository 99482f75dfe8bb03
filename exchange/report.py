"""A preview as plain text, for the management commands (the pages render the same Preview)."""

from exchange.importer import Preview


def preview_lines(preview: Preview, *, details: bool = True) -> list[str]:
    lines = []
    if preview.target_label:
        lines.append(f"Into: {preview.target_label}.")
    if preview.sheets:
        lines.append("")
        lines.append(f"{'Sheet':<22}{'Added':>7}{'Changed':>9}{'Unchanged':>11}{'Rejected':>10}{'Left alone':>12}")
        for sheet in preview.sheets:
            lines.append(
                f"{sheet.title:<22}{len(sheet.added):>7}{len(sheet.changed):>9}{sheet.unchanged:>11}"
                f"{sheet.rejected:>10}{sheet.left_alone:>12}"
            )
    if details:
        for sheet in preview.sheets:
            for change in sheet.changes:
                where = f" (row {change.row.row})" if change.row.row else ""
                if change.kind == "added":
                    lines.append(f"+ {sheet.title}: {change.label}{where}")
                else:
                    lines.append(f"~ {sheet.title}: {change.label}{where}")
                    for heading, was, now in change.fields:
                        lines.append(f"    {heading}: {_short(was)!r} -> {_short(now)!r}")
    if preview.problems:
        lines.append("")
        lines.append(f"{len(preview.problems)} problem(s); nothing can be imported until they are fixed:")
        lines.extend(f"! {problem.as_text()}" for problem in preview.problems)
    elif not preview.change_count:
        lines.append("Nothing would change: the plan already holds everything in this file.")
    return lines


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
