import pytest

from exto360 import AsyncClient, Client
from exto360.testing import Emulator


@pytest.fixture
def emu():
    with Emulator() as e:
        yield e


@pytest.fixture
def client(emu):
    return Client(token=emu.token, base_url=emu.url, rate_limit=0)


@pytest.fixture
def aclient(emu):
    return AsyncClient(token=emu.token, base_url=emu.url, rate_limit=0)


def params(entry):
    return {k: v for k, v in entry["params"]}
