"""The analyst's desk: one FastAPI process serving the JSON API (``/api/…``) and the web UI.

``create_app(store_url)`` builds the app over any base ``rasid.store.open_store`` opens;
``rasid serve`` runs it with uvicorn. See ``docs/ui.md``.
"""

from rasid.api.app import create_app

__all__ = ["create_app"]
