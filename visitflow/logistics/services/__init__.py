"""Writes of the logistics app, one module per area: bookings (the engine), transfers,
leader meetings, gifts, resources."""
