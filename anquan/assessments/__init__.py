"""Assessment (考核) of regions and departments by versioned scoring schemes (issue #15): automatic criteria
computed from the system's data, manual ones entered with reason and evidence, scores with their breakdown,
ranking with a stated tie rule, the yearly evaluation document, and rolling red and yellow flags (流动红旗/黄旗)."""
