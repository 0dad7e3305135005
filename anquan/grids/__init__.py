"""Grids and patrols (issue #14): grid units (township, village, enterprise-internal) with heads and workers,
patrol plans and tasks on the phone, check-ins, results and missed patrols."""
