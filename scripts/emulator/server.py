"""moto's server, with deploy-local's CloudFormation handlers registered.

    python3 -m scripts.emulator.server -H 127.0.0.1 -p PORT

Same arguments as moto_server. The handlers (handlers.py, overrides.py) must
be imported before moto builds its CloudFormation model map, so they are
imported here, before the server starts.
"""
import sys

from scripts.emulator import handlers, overrides  # noqa: F401  (importing registers them)


def main(argv=None):
    from moto.server import main as moto_main
    moto_main(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
