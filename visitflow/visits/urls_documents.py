"""Documents and calendars of visits: PDF brief and itinerary, .ics files and feeds."""

urlpatterns: list = []
