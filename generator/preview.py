"""`policy serve`: the site with uncommitted changes, rebuilt whenever a source changes.

MkDocs' development server with the policy plugin in preview mode: the working tree is published
as one more, uncommitted version on top of the history. A build that fails (a half-typed clause)
logs its problems and keeps serving the last good site, as `mkdocs serve` does.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.errors import PolicyError

log = logging.getLogger(__name__)


def check_address(dev_addr: str) -> str:
    """`dev_addr` if the preview can be served on it: IP:PORT (or localhost:PORT) with a port from
    1 to 65535, as MkDocs reads it; a ValueError that says what is wrong otherwise."""
    from mkdocs.config.base import ValidationError
    from mkdocs.config.config_options import IpAddress

    try:
        _, port = IpAddress().validate(dev_addr)
    except ValidationError as error:
        raise ValueError(f"'{dev_addr}' is not IP:PORT ({error})") from None
    if not 1 <= port <= 65535:
        raise ValueError(f"'{dev_addr}' has no port from 1 to 65535")
    return dev_addr


def serve_preview(project_dir: Path, dev_addr: str) -> None:
    """Serve the preview on `dev_addr` until interrupted (Ctrl-C or SIGTERM)."""
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    site_dir = tempfile.mkdtemp(prefix="policy-preview-")
    try:
        config = _config(project_dir, site_dir, dev_addr)
        host, port = config.dev_addr
        url = f"http://{host}:{port}/"
        server = LiveReloadServer(
            builder=lambda: _rebuild(project_dir, site_dir, dev_addr, url),
            host=host,
            port=port,
            root=site_dir,
        )
        _build(config, url)
        for path in sorted({config.docs_dir, config.config_file_path, *config.watch}):
            if path and Path(path).exists():
                server.watch(path)
        log.info("Previewing %s with uncommitted changes at %s", project_dir, url)
        try:
            server.serve()
        except OSError as error:
            raise PolicyError(
                f"cannot serve the preview on {dev_addr}: {error.strerror}. Choose another "
                "address with --dev-addr."
            ) from error
        except KeyboardInterrupt:
            log.info("Stopped the preview.")
        finally:
            server.shutdown()
    except MkDocsException as error:
        # MkDocs has logged the problems already; Abort carries no more than that.
        raise PolicyError(
            "the preview could not be built. Fix the problems above (run 'policy check') and "
            "start 'policy serve' again."
        ) from error
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _config(project_dir: Path, site_dir: str, dev_addr: str) -> Any:
    """The project's MkDocs configuration, with the policy plugin publishing the working tree."""
    from generator.build import load_site_config

    config, plugin = load_site_config(project_dir, site_dir=site_dir, dev_addr=dev_addr)
    plugin.config.preview = True
    return config


def _build(config: Any, url: str) -> None:
    from mkdocs.commands.build import build

    from generator.processes import reap

    config.site_url = url
    try:
        build(config, serve_url=url)
    finally:
        # Rebuilds run beside the server's threads, so they fork no process that would reap
        # what this build forked.
        reap(wait=True)


def _rebuild(project_dir: Path, site_dir: str, dev_addr: str, url: str) -> None:
    """Rebuild after an edit, and say so; on failure log why and keep the last good site."""
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    try:
        _build(_config(project_dir, site_dir, dev_addr), url)
    except PolicyError as error:
        log.error("%s", error.format_message())
        log.error("The preview still shows the last version that built; fix the problems above.")
    except MkDocsException:
        # MkDocs has logged the problems.
        log.error("The preview still shows the last version that built; fix the problems above.")
    else:
        # The one sign, after an edit that fixed a problem, that the preview shows it now.
        log.info("Rebuilt in %.1f s: the preview shows your edits.", time.perf_counter() - started)
