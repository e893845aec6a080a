"""Test your own code offline: an in-process emulator of the Exto360 Data API.

    from exto360 import Client
    from exto360.testing import Emulator

    with Emulator() as emu:
        client = Client(token=emu.token, base_url=emu.url)
        client.masters("LOCATION").upsert([{"code": "BLR", "name": "Bengaluru"}])
        assert emu.journal()[-1]["method"] == "POST"

As a pytest fixture::

    import pytest
    from exto360.testing import Emulator

    @pytest.fixture
    def emu():
        with Emulator() as e:
            yield e

    def test_sync_locations(emu):
        client = Client(token=emu.token, base_url=emu.url, rate_limit=0)
        ...

The emulator serves the built-in demo dataset (masters LOCATION, ITEM, VENDOR; module
CUSTOMMODULE with a workflow and sub-tables; users; two projects) unless given one. Its rate
limit is off unless ``settings={"rateLimit": 3}``. See the emulator README for datasets,
settings and fault rules.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import _native

__all__ = ["Emulator"]


class Emulator:
    """A running emulator on ``127.0.0.1`` (a free port). ``url`` and ``token`` configure a
    client; ``journal()``, ``reset()``, ``set_faults()``, ``configure()`` control it."""

    def __init__(self, dataset: Optional[Mapping[str, Any]] = None, *, settings: Optional[Mapping[str, Any]] = None, token: Optional[str] = None) -> None:
        self._emu: Any = _native.NativeEmulator(dict(dataset) if dataset is not None else None, dict(settings) if settings else None, token)

    @property
    def url(self) -> str:
        """Base URL for the client, e.g. ``http://127.0.0.1:41234``."""
        return str(self._emu.url)

    @property
    def token(self) -> str:
        return str(self._emu.token)

    def journal(self) -> List[Dict[str, Any]]:
        """Every API request so far: method, path, query, params, headers (token masked),
        body, status."""
        out: List[Dict[str, Any]] = self._emu.journal()
        return out

    def clear_journal(self) -> None:
        self._emu.clear_journal()

    def reset(self) -> None:
        """Back to the dataset; clears the journal, faults and rate-limit state."""
        self._emu.reset()

    def set_faults(self, faults: Sequence[Mapping[str, Any]]) -> None:
        """Replaces the fault rules, e.g. ``[{"kind": "status", "status": 503, "times": 2}]``.
        Kinds: ``status``, ``latency``, ``reset``, ``truncate``."""
        self._emu.set_faults([dict(f) for f in faults])

    def configure(self, **settings: Any) -> Dict[str, Any]:
        """Changes settings (``rateLimit``, ``listShape``, ``userListShape``, ``frozenTime``,
        ...) and returns them all."""
        out: Dict[str, Any] = self._emu.configure(settings)
        return out

    def load_dataset(self, dataset: Mapping[str, Any]) -> None:
        self._emu.load_dataset(dict(dataset))

    def records(self, kind: str, name: str) -> List[Dict[str, Any]]:
        """Every stored record of ``kind`` (``"masters"``/``"modules"``) ``name``."""
        out: List[Dict[str, Any]] = self._emu.records(kind, name)
        return out

    def stop(self) -> None:
        self._emu.stop()

    def __enter__(self) -> "Emulator":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Emulator(url={self._emu.url!r})"
