"""Key-post personnel (issue #17): principal persons, safety managers, special-operation workers and their
certificates, team leaders; training records and three-level education; expiry reminders and coverage."""
