"""The rules tests/conftest.py puts every test under: no network (DNS included), no
configuration from the developer's environment."""

import os
import socket

import pytest


def test_dns_lookups_of_other_hosts_fail() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("pypi.org", 443)
    with pytest.raises(socket.gaierror):
        socket.gethostbyname("huggingface.co")


def test_connections_to_other_hosts_fail() -> None:
    with socket.socket() as s, pytest.raises(OSError, match="network"):
        s.connect(("10.1.2.3", 80))


def test_unit_tests_open_no_loopback_connection_unless_marked() -> None:
    with socket.socket() as s, pytest.raises(OSError, match="mark the test"):
        s.connect(("127.0.0.1", 9))


@pytest.mark.network
def test_a_marked_test_may_use_loopback() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5) as client:
            conn, _ = server.accept()
            client.sendall(b"ok")
            assert conn.recv(2) == b"ok"
            conn.close()
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.com", 80)


def test_no_minutes_rag_setting_leaks_in_from_the_environment() -> None:
    assert [k for k in os.environ if k.startswith(("MINUTES_RAG_", "OPENAI_"))] == []
