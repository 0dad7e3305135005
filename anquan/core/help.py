"""The short help (操作指引) of each main page, by URL name: what the page is for and how its main task is
done, in two or three sentences. `core/_help.html` (included by base.html) shows the entry of the page
being viewed, folded under 操作指引; a page without an entry shows none."""

from django.utils.translation import gettext_lazy as _

HELP = {
    "home": _(
        "The overview of your area: counts of enterprises, hazards and accidents, and what waits for you. "
        "Click a number to open the list behind it."
    ),
    "overview:search": _(
        "Search by enterprise name, pinyin initials (e.g. jxhg) or unified social credit code. The closest "
        "matches come first: the exact name, then names that begin with your words, then initials, then "
        "names that contain them."
    ),
    "enterprises:list": _(
        "Every enterprise in your area. Narrow the list with the filters and press 查询; the list keeps "
        "your filters when you come back. 导出Excel exports exactly what is listed."
    ),
    "enterprises:detail": _(
        "One enterprise: its registration, its supervising department, its status history and every "
        "change made to it. Use 编辑 to correct its data."
    ),
    "enterprises:create": _(
        "Fields marked * are required. The unified social credit code is checked as you save; an error is "
        "shown under the field concerned."
    ),
    "enterprises:edit": _(
        "Change what is wrong and save; every change is recorded in the enterprise's change history."
    ),
    "enterprises:import": _(
        "Download the template, fill one enterprise per row and upload it. Rows with errors are listed with "
        "their row number and nothing is saved until every row is right."
    ),
    "hazards:ledger": _(
        "Every hazard in your area, newest first. Filter by status, level or deadline; open a hazard to "
        "act on it. Coming back from a hazard keeps your filters."
    ),
    "hazards:report": _(
        "Choose the enterprise, describe the hazard and add a photo. The report goes to the township and "
        "county offices, who accept it and set the rectification deadline."
    ),
    "hazards:detail": _(
        "The hazard's dossier: where it stands, who acts next and by when. The buttons show only the "
        "steps you may take now."
    ),
    "hazards:stats": _("Hazard statistics for your area and period; choose the period at the top."),
    "riskpoints:points": _(
        "The risk points of the enterprises in your area with their latest assessment. Open a point to "
        "assess it (LEC or LS), add control measures or print its notice card."
    ),
    "riskpoints:point_new": _(
        "Name the place, installation or activity, choose its hazardous factors and the accidents it may "
        "cause; assess it after saving."
    ),
    "riskpoints:point": _(
        "One risk point: its assessments, control measures, check schedules and photos. A new assessment "
        "replaces the level shown on the risk map."
    ),
    "majorhazards:installations": _(
        "Major hazard installations identified by GB 18218. Add one with its substances and quantities; "
        "the grade is calculated for you."
    ),
    "majorhazards:installation_new": _(
        "Enter each hazardous substance with its quantity in tonnes; the identification and grade follow "
        "GB 18218-2018 and are shown before you save."
    ),
    "checks:tasks_today": _(
        "The control checks due today. Mark each risk point 正常 or 异常; an 异常 needs a description "
        "and may carry a photo."
    ),
    "riskreports:reports": _(
        "Enterprises' risk reports by year. An enterprise prepares and submits its report; the "
        "supervising department reviews it and accepts or returns it with a reason."
    ),
    "riskreports:report_coverage": _(
        "Which enterprises that must report have reported this year, by area. Export the list to follow "
        "up those that have not."
    ),
    "riskmap:map": _(
        "The four-colour risk map: click an area to go down a level, click an enterprise to open it."
    ),
    "accidents:register": _(
        "Accidents in your area. 登记事故 records a new one; its grade is worked out from the casualties "
        "and losses, and each level's report deadline is counted from the time it happened."
    ),
    "accidents:record": _(
        "Enter what is known now; casualties and losses may be corrected later and the grade follows them."
    ),
    "accidents:detail": _(
        "One accident: its reporting chain with each level's deadline, its investigation and its photos."
    ),
    "bulletins:dashboard": _(
        "Accident figures for your area compared with the same period last year. Choose the period at "
        "the top."
    ),
    "bulletins:index": _(
        "Generate the monthly dispatch, quarterly bulletin or yearly evaluation as a Word file; earlier "
        "ones stay listed here."
    ),
    "regions:browse": _("Your area's regions down to villages and grids. Click a name to go down a level."),
    "orgs:rules": _(
        "Which department supervises each industry here (三管三必须). A rule set for this area applies "
        "to every place below it unless a lower level sets its own."
    ),
    "accounts:users": _(
        "The accounts in your area. Create an account with its role and area; disable one that should no "
        "longer sign in (its records stay)."
    ),
    "core:audit": _(
        "Every change in your area, newest first. Filter by account name or kind of change; a record's own "
        "change history is on its page."
    ),
    "core:notifications": _("Messages for you. Click one to open what it is about; it is then marked read."),
}


def help_for(view_name: str | None) -> str:
    """The help of the page named `view_name`, or ""."""
    text = HELP.get(view_name or "")
    return str(text) if text is not None else ""
