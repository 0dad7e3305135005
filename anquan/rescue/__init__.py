"""Rescue forces (issue #17): rescue teams, supply depots and their stock, the 24-hour duty roster, and what lies
within a distance of a point for an officer dispatching help."""
