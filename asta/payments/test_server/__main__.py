"""`python -m asta.payments.test_server [--port P] [--test-controls]`: prints its URL."""

from __future__ import annotations

import argparse
import logging

from asta.payments.test_server.app import ServerConfig
from asta.payments.test_server.runner import READY_PREFIX, bind_socket, make_server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Stripe-compatible local test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--api-key", help="accept only this Bearer key (default: any)")
    parser.add_argument("--platform-balance", type=int, default=100_000_000,
                        help="platform's available EUR balance in cents")
    parser.add_argument("--fault-delay-s", type=float, default=2.0,
                        help="how long a 'timeout' fault hangs")
    parser.add_argument("--webhook-url", help="POST every event here, signed")
    parser.add_argument("--webhook-secret", help="signing secret (whsec_...)")
    parser.add_argument("--test-controls", action="store_true",
                        help="serve the unauthenticated /_test/* controls (tests only)")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    if bool(args.webhook_url) != bool(args.webhook_secret):
        parser.error("--webhook-url and --webhook-secret go together")
    logging.basicConfig(level=args.log_level.upper())
    config = ServerConfig(api_key=args.api_key, platform_balance=args.platform_balance,
                          fault_delay_s=args.fault_delay_s, webhook_url=args.webhook_url,
                          webhook_secret=args.webhook_secret, test_controls=args.test_controls)
    sock = bind_socket(args.host, args.port)
    # One parseable line, so a parent process can learn the port it got for --port 0.
    print(f"{READY_PREFIX}http://{args.host}:{sock.getsockname()[1]}", flush=True)
    make_server(config, args.log_level).run(sockets=[sock])


if __name__ == "__main__":
    main()
