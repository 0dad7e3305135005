"""Enforcement across its apps (issue #13): the three-step loop's dashboard, statistics in the seeds' terms and the
行政执法公示 page. Reads inspections, cases, documents and plans; owns no workflow of its own."""
