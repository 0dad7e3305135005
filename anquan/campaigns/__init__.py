"""Campaigns (issue #15): campaigns with stages and battles, their task lists (imported from Excel or from
pasted official text), tasks fanned out to the responsible units, monthly dispatches with each unit's progress
reports, and the campaign dashboard. Letters and assessments are apps of their own (letters, assessments)."""
