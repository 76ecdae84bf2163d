"""moto's server, with deploy-local's additions registered.

    python3 -m scripts.emulator.server -H 127.0.0.1 -p PORT

Same arguments as moto_server. Before the server starts this registers the
CloudFormation handlers (handlers.py, overrides.py: they must exist before
moto first builds its CloudFormation model map) and lets Node.js Lambda
functions run in the project's Node.js instead of Docker (lambda_node.py).
"""
import argparse
import sys

from scripts.emulator import handlers, lambda_node, overrides  # noqa: F401  (importing registers them)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("-p", "--port", type=int, default=5000)
    known, _ = ap.parse_known_args(argv)
    lambda_node.install(known.port)
    from moto.server import main as moto_main
    moto_main(argv)


if __name__ == "__main__":
    main()
