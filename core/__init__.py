"""Plumbing below every app, with no models: the live transport and the websocket consumer base,
query-parameter parsing, the <time> filter, templated email and the personal-data registry.

Nothing here imports an app; every app may import from here."""
