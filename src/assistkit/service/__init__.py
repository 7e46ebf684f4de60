"""``assistkit serve``: the engine as an HTTP service, and a page for caseworkers.

An ASGI application on Starlette, run by uvicorn (the ``serve`` extra: ``pip install 'assistkit[serve]'``).
Each served locality's :class:`~assistkit.engine.Engine` is built once when the application starts and shared
by every request (an engine is immutable and safe to share between threads); several uvicorn workers each
build their own. docs/service.md shows how to run and call it.

- :func:`create_app` makes the application from a :class:`ServiceConfig`;
- :func:`app_from_environment` makes it from the configuration in ``ASSISTKIT_SERVICE`` (what
  ``assistkit serve --workers N`` hands each worker process);
- :func:`running` runs it on a free local port in a background thread (for examples and integration tests).
"""

from __future__ import annotations

from ._app import app_from_environment, create_app
from ._config import ENVIRONMENT, ServiceConfig
from ._problems import Problem
from ._thread import running

__all__ = ["ENVIRONMENT", "Problem", "ServiceConfig", "app_from_environment", "create_app", "running"]
