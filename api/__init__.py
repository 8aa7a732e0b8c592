"""The machine interface for the Government operations centre: the HTTP feed of the KPI
report contract under `/api/v1/` (`api.routes`, served by `serve.py`), answered from the
pages' shared store (`api.feed`), described by OpenAPI 3.1 (`api.openapi`), every call
recorded (`api.calls`). Clients and their tokens: `auth.clients`; docs/api.md."""
