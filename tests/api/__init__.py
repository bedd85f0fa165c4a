# The API's URL names by kind, for the access matrix (tests/test_access_matrix.py).
API_LISTS = ("practices", "themes", "objectives", "principles", "target_groups", "areas")
API_LISTS += ("programmes", "stakeholders", "events", "event_series", "schema", "docs", "redoc")
API_OBJECTS = ("practice", "event")  # published ones only, like their public pages
