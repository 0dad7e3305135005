"""Reminder and supervision letters (工作提示函 / 督办函) and interviews (约谈) of a committee office to a department
or region (issue #15): numbered, with required actions and a reply deadline, tracked to reply and closure."""
