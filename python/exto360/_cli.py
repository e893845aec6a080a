"""The ``exto360`` console script: the Rust command line, run in this process through the
native module (the same program as ``cargo install --path cli``)."""

import signal
import sys

from . import _native


def main() -> None:
    # Ctrl-C belongs to the command (an import stops after the requests in flight, saves its
    # checkpoint and exits 130), not to Python's KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(_native.run_cli(["exto360", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
