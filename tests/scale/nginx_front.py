"""Debian's nginx running docker/nginx.conf for real, in front of local workers.

The deployment's files are rendered for local ports only: the upstream servers become
the workers' ports, ``listen 80`` / ``listen 443`` loopback ports, the mounted paths a
temporary directory, and the TLS include is enabled the way an operator enables it
(uncommenting its one line) with a self-signed certificate made by openssl.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

from tests.scale.harness import ROOT, free_port, wait_for

DOCKER = ROOT / "docker"
TLS_INCLUDE = "# include /etc/nginx/salescoach/tls.conf;"


def nginx_binary() -> str:
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
    )
    assert found, "nginx is missing: run `make system-deps` (Debian package nginx)"
    return found


def self_signed_certificate(directory: Path) -> Path:
    """A certificate for 127.0.0.1 (and its key) under ``directory``; returns the cert."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert


class Nginx:
    def __init__(self, workdir: Path) -> None:
        self.dir = workdir / "nginx"
        self.http_port, self.https_port = free_port(), free_port()
        self.worker_ports = (0, 0)  # set by start()
        self.proc: subprocess.Popen[bytes] | None = None
        self.cert = self_signed_certificate(self.dir / "tls")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def render(self) -> Path:
        mounted = self.dir / "salescoach"
        mounted.mkdir(parents=True, exist_ok=True)
        for name in ("locations.conf", "tls.conf"):
            (mounted / name).write_text(self._local((DOCKER / "nginx" / name).read_text()))
        main = DOCKER.joinpath("nginx.conf").read_text()
        assert TLS_INCLUDE in main, "the TLS include line moved; update this renderer"
        main = self._local(main.replace(TLS_INCLUDE, TLS_INCLUDE.removeprefix("# ")))
        temp = "".join(
            f"    {kind}_temp_path {self.dir / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = main.replace("worker_processes auto;", "worker_processes 1;")
        main = main.replace("http {\n", "http {\n" + temp, 1)
        path = self.dir / "nginx.conf"
        path.write_text(main)
        return path

    def _local(self, text: str) -> str:
        a, b = self.worker_ports
        return (
            text.replace("server app1:5000", f"server 127.0.0.1:{a}")
            .replace("server app2:5000", f"server 127.0.0.1:{b}")
            .replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
            .replace("listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;")
            .replace("/etc/nginx/salescoach/", f"{self.dir / 'salescoach'}/")
            .replace("/etc/nginx/tls/", f"{self.dir / 'tls'}/")
        )

    @property
    def origins(self) -> str:
        """The public origins the workers must accept (CORS_ORIGINS)."""
        return f"{self.url},{self.https_url}"

    def start(self, worker_ports: tuple[int, int]) -> None:
        self.worker_ports = worker_ports
        config = self.render()
        command = [nginx_binary(), "-p", str(self.dir), "-e", str(self.dir / "error.log")]
        command += ["-c", str(config), "-g", f"daemon off; pid {self.dir / 'nginx.pid'};"]
        checked = subprocess.run([*command, "-t"], capture_output=True, timeout=30)
        assert checked.returncode == 0, checked.stderr.decode()
        with open(self.dir / "stdout.log", "wb") as log:
            self.proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        assert wait_for(self._listening, 10), self.tail()

    def _listening(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, self.tail()
        try:
            with socket.create_connection(("127.0.0.1", self.https_port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def tail(self) -> str:
        logs = [self.dir / "error.log", self.dir / "stdout.log"]
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in logs if p.exists())
