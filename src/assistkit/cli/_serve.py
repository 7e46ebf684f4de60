"""``assistkit serve``: the HTTP service and the caseworkers' page (the ``serve`` extra)."""

from __future__ import annotations

import os

import click

from ._common import fail

__all__ = ["serve"]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--workers", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="uvicorn worker processes; each builds its own engines.")
@click.option("--locality", "localities", multiple=True, default=("demo-city",), show_default=True,
              help="A locality to serve: a bundled one or a policy override file (.toml, on demo-city). Repeat "
                   "to serve several; the first is the default of a request that names none.")
@click.option("--max-body", type=click.IntRange(min=1), default=16 * 1024 * 1024, show_default=True,
              help="Largest request body, in bytes.")
@click.option("--max-households", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most households in one request (/batch, /compare, /validate).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
              help="Seconds a request may compute.")
@click.option("--root-path", default="", help="The path prefix a reverse proxy strips (e.g. /assistkit).")
@click.option("--forwarded-allow-ips", default=None,
              help="Proxies trusted for X-Forwarded-For/-Proto (uvicorn's option; default 127.0.0.1).")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]),
              default="info", show_default=True)
def serve(host: str, port: int, workers: int, localities: tuple[str, ...], max_body: int, max_households: int,
          timeout: float, root_path: str, forwarded_allow_ips: str | None, log_level: str) -> None:
    """Run the HTTP service: POST /assess, /validate, /batch, /compare, /cliff; GET /params, /plugins, /health,
    /openapi.json; and the caseworkers' page at /.

    Errors are application/problem+json naming the household and the field paths. See docs/service.md.
    """
    try:
        import uvicorn

        from ..service import ENVIRONMENT, ServiceConfig, create_app
    except ImportError as exc:
        fail(f"the service needs the `serve` extra ({exc.name} is missing): pip install 'assistkit[serve]'")
        return
    from ..errors import AssistkitError

    try:
        config = ServiceConfig(localities, max_body, max_households, timeout)
        create_app(config)  # build the engines once here: a bad locality fails now, not in each worker
    except (AssistkitError, ValueError) as exc:
        fail(str(exc))
        return
    # Each worker process reads the configuration from the environment (uvicorn imports the factory by name).
    os.environ[ENVIRONMENT] = config.to_json()
    uvicorn.run("assistkit.service:app_from_environment", factory=True, host=host, port=port, workers=workers,
                root_path=root_path, forwarded_allow_ips=forwarded_allow_ips, log_level=log_level)
