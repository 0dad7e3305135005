"""Public tip-offs (issue #14): the public form, tracking codes, office triage through the workflow engine,
rewards by the versioned reward rules; the reporter's identity encrypted at rest and every view of it audited."""
