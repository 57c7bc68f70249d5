"""A 50 MB upload to the running app is refused from its headers, without reading the body."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

import httpx


def test_a_declared_50_mb_upload_is_answered_413_before_the_body_is_sent(server: str) -> None:
    with httpx.Client(base_url=server, timeout=60) as client:
        page = client.get("/profile")
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        assert token
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    host = urlsplit(server)
    request = (
        "POST /profile/resume HTTP/1.1\r\n"
        f"Host: {host.netloc}\r\n"
        f"Origin: {server}\r\n"
        f"Cookie: {cookie}\r\n"
        f"X-CSRF-Token: {token[1]}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
        f"Content-Length: {50 * 1024 * 1024}\r\n\r\n"
    )
    with socket.create_connection((host.hostname, host.port), timeout=30) as sock:
        sock.sendall(request.encode("ascii") + b"--b\r\n")  # then nothing more: no 50 MB
        received = b""
        while chunk := sock.recv(65536):  # the app closes the connection after its answer
            received += chunk
        answer = received.decode("latin-1")
    status_line = answer.split("\r\n", 1)[0]
    assert " 413 " in status_line, status_line
    assert "larger than" in answer
