"""Start the test server for tests: in a thread (`running_test_server`) or as a
separate process (`running_test_server_process`), and drive its `/_test` controls."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from asta.payments.test_server.app import ServerConfig, create_app

READY_PREFIX = "asta-stripe-test-server listening on "


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind before serving, so port 0 yields a free port known before the first request."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


def make_server(config: ServerConfig | None = None, log_level: str = "warning") -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(
        create_app(config), log_level=log_level, lifespan="on", access_log=False,
        timeout_graceful_shutdown=1))


@contextmanager
def running_test_server(config: ServerConfig | None = None, *,
                        host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve in a background thread (its own event loop); yields the base URL."""
    sock = bind_socket(host, port)
    server = make_server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="stripe-test-server", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("Stripe test server did not start")
            time.sleep(0.01)
        yield f"http://{host}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def running_test_server_process(*args: str, host: str = "127.0.0.1") -> Iterator[str]:
    """Run `python -m asta.payments.test_server` on a free port; yields the base URL."""
    cmd = [sys.executable, "-m", "asta.payments.test_server", "--host", host, "--port", "0",
           *args]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line.startswith(READY_PREFIX):
                raise RuntimeError(f"Stripe test server failed to start: {line!r}")
            yield line.removeprefix(READY_PREFIX).strip()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class TestServerControl:
    """Async client for the `/_test` endpoints (reset, faults, state, settle...)."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None
                 ) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=10, transport=transport)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, json: Any = None) -> Any:
        response = await self._http.request(method, path, json=json)
        response.raise_for_status()
        return response.json()

    async def reset(self) -> None:
        await self._call("POST", "/_test/reset")

    async def add_fault(self, path_prefix: str, mode: str, *, times: int = 1,
                        method: str | None = None, delay_s: float | None = None,
                        retry_after: int | None = None) -> None:
        await self._call("POST", "/_test/faults", {
            "path_prefix": path_prefix, "mode": mode, "times": times, "method": method,
            "delay_s": delay_s, "retry_after": retry_after})

    async def state(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("GET", "/_test/state")
        return result

    async def wait_idle(self, timeout_s: float = 10) -> None:
        """Wait until no /v1 request is being handled (e.g. one hung by a fault)."""
        deadline = time.monotonic() + timeout_s
        while (await self.state())["in_flight"]:
            if time.monotonic() > deadline:
                raise TimeoutError("Stripe test server still busy")
            await asyncio.sleep(0.02)

    async def complete_onboarding(self, account_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("POST", f"/_test/accounts/{account_id}/onboard")
        return result

    async def settle_payout(self, payout_id: str, status: str = "paid") -> dict[str, Any]:
        result: dict[str, Any] = await self._call(
            "POST", f"/_test/payouts/{payout_id}/settle", {"status": status})
        return result

    async def pay_invoice(self, invoice_id: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("POST", f"/_test/invoices/{invoice_id}/pay")
        return result
