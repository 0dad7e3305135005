"""Every model of the project either declares where its rows sit (`scope = ScopeSpec(...)`) or is listed
here with the reason it needs none. A new model in neither place fails."""

from django.apps import apps

from anquan.core.scope import ScopeSpec

# model label → why its rows are not scoped
EXEMPT = {
    "regions.Region": "reference data: the division tree every user navigates (GB/T 2260 codes)",
    "orgs.Department": "reference data: department names, the same for every user",
    "orgs.Industry": "reference data: GB/T 4754 sections and supervision categories",
    "orgs.SafetyCommittee": "the public organisation chart of each government level",
    "orgs.IndustryDepartmentRule": "三管三必须 rules: read by everyone, written only by org.manage in scope "
    "(orgs.services.set_rule checks the region)",
    "hazards.JudgementStandard": "reference data: the published major-hazard judgement standards",
    "hazards.JudgementItem": "reference data: items of those standards",
    "hazards.HazardNumberCounter": "internal: the last business number per county and year, written only by "
    "hazards.numbering inside a report, never shown or listed",
    "cases.CaseSerialCounter": "internal: the last case serial (立案号) per unit and year, written only by "
    "cases.services when a case is filed, never listed or shown",
    "letters.LetterNumberCounter": "internal: the last letter number per issuing office, kind and year, written "
    "only by letters.services when a letter is issued, never shown or listed",
    "documents.DocumentNumberCounter": "internal: the last document number per issuing unit, kind and year, "
    "written only by documents.numbering inside an issue, never shown or listed",
    "standards.RiskBandTable": "versioned reference data (band tables per province, services.can_configure)",
    "standards.RiskFactorValue": "reference data of a band table",
    "standards.RiskBand": "reference data of a band table",
    "standards.SubstanceCategory": "reference data: GB 18218 table 2",
    "standards.RiskMapRule": "versioned reference data (map colour rule per province, services.can_configure)",
    "accidents.AccidentCategory": "reference data: GB 6441 categories",
    "core.AuditChainHead": "internal: one row holding the chain's last hash, never shown",
    "core.IdempotencyRecord": "internal: a replay cache keyed by its user (core.idempotency), never listed",
    "rules.RuleVersion": "versioned reference data: figures of regulations, read by everyone, added only by the "
    "system administrator or a province office for its province (rules.services.can_edit)",
    "monitoring.RollupMark": "internal: how far the readings' roll-ups have been computed, written only by "
    "monitoring.retention.rollup, never shown or listed",
    "core.Notification": "per recipient: only ever read as request.user.notifications",
    "inspections.ChecklistTemplate": "versioned reference data: the checklists per industry, the same for every user",
    "inspections.ChecklistItem": "reference data: items of a checklist version",
}


def project_models():
    return [m for m in apps.get_models() if m.__module__.startswith("anquan.")]


def test_every_model_declares_a_scope_or_is_a_listed_exception():
    unscoped = {
        m._meta.label for m in project_models() if not isinstance(getattr(m, "scope", None), ScopeSpec)
    }
    assert unscoped == set(EXEMPT), (
        f"declare `scope = ScopeSpec(...)` on {sorted(unscoped - set(EXEMPT))} (or list it in EXEMPT with the "
        f"reason); no longer unscoped: {sorted(set(EXEMPT) - unscoped)}"
    )


def test_every_scope_path_names_real_fields():
    """A path like `hazard__region_code` must lead somewhere: a typo would otherwise only show as a 500."""
    from django.core.exceptions import FieldError

    bad = []
    for model in project_models():
        spec = getattr(model, "scope", None)
        if not isinstance(spec, ScopeSpec):
            continue
        for path in filter(None, (spec.region, spec.department, spec.enterprise)):
            try:
                str(model._default_manager.filter(**{path: None}).query)
            except FieldError:
                bad.append((model._meta.label, path))
    assert bad == []
