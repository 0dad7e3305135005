"""Emergency plans (issue #17): enterprises' and governments' plans, their filing with the supervising department,
evaluations and revisions; drills and the units overdue for one (MEM Order 2 of 2019, Decree 708)."""
